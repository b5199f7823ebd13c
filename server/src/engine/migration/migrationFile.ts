import type { Node, Tree } from 'web-tree-sitter';
import {
  attributeParts,
  callArguments,
  callParts,
  descendants,
  dottedName,
  enclosingFunction,
  literalValue,
  LiteralValue,
  parameterNames,
  Span,
  spanOf,
  stringValue,
} from '../python/syntax';
import { ImportStatement, readImportStatement } from '../project/pythonModule';
import { firstSyntaxError, SyntaxErrorPlace } from '../python/syntaxError';
import { escapeRegExp } from '../text/wordPattern';
import { argumentValue } from './opArgumentValue';
import { isSchemaOperation, opParameters, tableParameter } from './opSignatures';
import { ColumnDefinition, readColumnDefinition, readTableElement, TableElement } from './tableElements';
import { shiftedCopy } from './shiftedFacts';
import { AssignmentLookup, composedSql } from './composedSql';

export type Phase = 'upgrade' | 'downgrade';
export type { ColumnDefinition, ForeignKeyDefinition, TableElement } from './tableElements';

/**
 * The innermost `if` or `try` around a call: it may not run (a branch for another database, a
 * create guarded by a check), or its error may be swallowed.
 */
export interface OpGuard {
  kind: 'if' | 'else' | 'try';
  /** The `if`/`elif` condition as written (for `else`, the condition it is the else of). */
  condition: string | undefined;
  /** In a `try` body whose `except` swallows the error (some handler does not raise again). */
  swallowed?: boolean;
  /** For a `try`, the `if`/`else` around it, if any (a `try` in a branch for another database). */
  branch?: OpGuard;
}

export interface OpArgument {
  text: string;
  value: LiteralValue | undefined;
  span: Span;
}

/** A call from a phase function (or a helper it calls) to a helper function of the module. */
export interface HelperCall {
  name: string;
  callSpan: Span;
  /** The helper's parameters → the argument text the caller passed. */
  arguments: Map<string, string>;
}

/** One `op.<name>(...)` or `batch_op.<name>(...)` call. */
export interface OpCall {
  name: string;
  /** The receiver as written (`op`, `batch_op`, or any alias bound by `batch_alter_table`). */
  receiver: string;
  batched: boolean;
  phase: Phase | undefined;
  /** Order of the call within its phase, from 0. */
  index: number;
  arguments: Map<string, OpArgument>;
  /** Positional arguments beyond the signature (create_table's columns). */
  extraArguments: OpArgument[];
  table: string | undefined;
  schema: string | undefined;
  callSpan: Span;
  /** The call's source text, to re-create what a later drop removes. */
  source: string;
  /** Span of the `op.x(...)` name, the place a squiggle goes. */
  nameSpan: Span;
  /** The whole statement, when the call is a statement of its own (removable, movable). */
  statement: StatementPlace | undefined;
  /** Column names of `create_table` and `add_column`, from `sa.Column("name", ...)` arguments. */
  columns: string[];
  /** `add_column`'s Column(...): its type's source and keyword options (`nullable`, `server_default`…). */
  column: ColumnDefinition | undefined;
  /** Tables a `create_table` references through ForeignKey / ForeignKeyConstraint (those it emits: not `use_alter`). */
  references: string[];
  /** `create_table`'s columns, constraints and indexes, in order. */
  elements: TableElement[];
  /** The innermost `if`/`try` around the call, if any. */
  guard: OpGuard | undefined;
  /** Inside `with op.get_context().autocommit_block():` (runs outside the migration's transaction). */
  inAutocommit: boolean;
  /** The `for`/`while` loop around the call, if any (a batched backfill). */
  loop: Span | undefined;
  /** In a helper of the module: the calls that run it, from the phase function's own. */
  via?: HelperCall[];
}

/** `execute(...)` of something other than a SQL string: a SQLAlchemy expression such as `users.update()`. */
export interface ExecutedExpression {
  source: string;
  phase: Phase;
  callSpan: Span;
  loop: Span | undefined;
  via?: HelperCall[];
}

/** A write through a SQLAlchemy ORM session: `session.add(...)`, `session.merge(...)`, `session.query(X).update(...)`. */
export interface OrmWrite {
  /** `add`, `merge`, `delete`, `bulk_save_objects`…, `query().update` / `query().delete`, or `commit` / `flush` of objects changed in place. */
  method: string;
  phase: Phase;
  callSpan: Span;
  loop: Span | undefined;
  via?: HelperCall[];
}

/** `metadata.create_all(bind)` (every table of a metadata, as the models were when it ran) or `table.create(bind)`: tables whose definition the migration does not spell out. */
export interface MetadataCreateAll {
  phase: Phase;
  callSpan: Span;
}

/** `<Enum>.create(bind, ...)` for a PostgreSQL enum type. */
export interface EnumCreate {
  phase: Phase;
  callSpan: Span;
  checkfirst: boolean;
  /** `checkfirst=` is written, True or False: the author decided. */
  checkfirstWritten: boolean;
  /** End of the last argument (or the open parenthesis), where `checkfirst=True` goes. */
  insertAt: number;
  hasArguments: boolean;
}

/** A string of SQL handed to the database from a migration (`op.execute`, `conn.execute`, `sa.text`). */
export interface SqlString {
  sql: string;
  phase: Phase | undefined;
  span: Span;
  /** The call that runs it, for squiggles and fixes. */
  call: OpCall | undefined;
  callSpan: Span;
  statement: StatementPlace | undefined;
  inAutocommit: boolean;
  loop: Span | undefined;
  /** The innermost `if`/`try` around the call that runs it. */
  guard: OpGuard | undefined;
  /**
   * SQL put together at run time (an f-string, `+`, `%`, `.format()`): placeholder identifiers in
   * `sql` → the Python expression each stands for.
   */
  dynamic?: Map<string, string>;
  via?: HelperCall[];
}

/** A statement and the other statements of its block, so that removing it keeps Python valid. */
export interface StatementPlace {
  span: Span;
  siblings: Span[];
}

export interface FunctionBody {
  name: string;
  phase: Phase;
  definitionSpan: Span;
  /** The `def` line's `:` end, where a new first body line may be inserted. */
  headerEnd: number;
  bodySpan: Span;
  /** Indentation of the body's statements. */
  indent: string;
  /** Only `pass`, `...` or a docstring: the function does nothing. */
  isEmpty: boolean;
  /** The body's statements, comments left out. */
  statements: Span[];
  /**
   * The condition of an `if …: return` among the body's first statements, as written: when it
   * holds, the function returns before doing anything (a replay of an older tool's migration
   * that skips itself on databases that already have it).
   */
  skippedWhen: string | undefined;
}

export interface Comment {
  text: string;
  span: Span;
}

export interface AssignedValue {
  value: LiteralValue | undefined;
  span: Span;
  valueSpan: Span;
  /** Each string literal of the value (one for a string, each element of a tuple or list). */
  strings: { value: string; span: Span }[];
  /** Each name of the value (`migration.CONTRACT_BRANCH`, `EXPAND_BRANCH`), as written. */
  names: string[];
}

export interface RevisionHeader {
  message: string | undefined;
  revisionId: string | undefined;
  revises: string | undefined;
  createDate: string | undefined;
  span: Span;
}

export interface MigrationFile {
  path: string;
  header: RevisionHeader | undefined;
  revision: AssignedValue | undefined;
  downRevision: AssignedValue | undefined;
  branchLabels: AssignedValue | undefined;
  dependsOn: AssignedValue | undefined;
  functions: FunctionBody[];
  ops: OpCall[];
  sql: SqlString[];
  executedExpressions: ExecutedExpression[];
  ormWrites: OrmWrite[];
  metadataCreateAll: MetadataCreateAll[];
  enumCreates: EnumCreate[];
  imports: ImportStatement[];
  comments: Comment[];
  hasSyntaxErrors: boolean;
  syntaxError: SyntaxErrorPlace | undefined;
}

/** Alembic writes these two comments around what autogenerate produced. */
export const AUTOGENERATE_START_MARKER = /^#\s*###\s*commands auto generated by Alembic - please adjust!\s*###\s*$/;
export const AUTOGENERATE_END_MARKER = /^#\s*###\s*end Alembic commands\s*###\s*$/;

export function readMigrationFile(path: string, tree: Tree): MigrationFile {
  return new MigrationReader().read(path, tree);
}

/** What a body statement holds: its operations, SQL, comments and imports, in document order. */
type StatementFacts = Pick<MigrationFile, 'ops' | 'sql' | 'executedExpressions' | 'ormWrites' | 'metadataCreateAll' | 'enumCreates' | 'comments' | 'imports'>;

/** A body statement's facts as read at `start`, and its places that sit directly in the body. */
interface StatementReading {
  start: number;
  facts: StatementFacts;
  bodyPlaces: StatementPlace[];
}

/** A statement of a phase function's body: its text (with the function, the key of its reading) and extent. */
interface BodyStatement {
  node: Node;
  /** The block the statement sits in: a phase function's body, or a helper's it calls. */
  body: Node;
  /** For a helper's statement, the calls that run it. */
  via: HelperCall[] | undefined;
  key: string;
  span: Span;
  /** Error recovery may read the same text differently elsewhere: such a statement is always read afresh. */
  hasError: boolean;
  reused: StatementReading | undefined;
}

/**
 * A walk per statement costs a fixed overhead each, one walk of the whole file costs its size:
 * an edit touches a statement or two and walks them; a first read walks the file.
 */
const STATEMENT_WALKS_LIMIT = 4;

/**
 * Reads one migration, and reads it again cheaply after each edit: a body statement with the
 * same text in the same function as at the last read is not read again, its facts are copied
 * and moved to where the statement now is. Only the statements an edit touched cost parser
 * calls, and every node fetched from the parser costs about a microsecond.
 */
export class MigrationReader {
  private readings = new Map<string, StatementReading>();

  read(path: string, tree: Tree): MigrationFile {
    const root = tree.rootNode;
    const topLevel = root.namedChildren.filter((c): c is Node => !!c);
    const file: MigrationFile = {
      path,
      header: readHeader(topLevel),
      revision: undefined,
      downRevision: undefined,
      branchLabels: undefined,
      dependsOn: undefined,
      functions: [],
      ops: [],
      sql: [],
      executedExpressions: [],
      ormWrites: [],
      metadataCreateAll: [],
      enumCreates: [],
      imports: [],
      comments: [],
      hasSyntaxErrors: root.hasError,
      syntaxError: firstSyntaxError(root),
    };
    const context: ReadContext = { siblings: new Map(), withScopes: new Map(), bodyPlaces: [], readOutsideStatement: false, opNames: operationsNames(topLevel) };
    // Nodes outside the phase functions' bodies that may hold comments and imports, with their types.
    const elsewhere: [Node, string][] = [];
    const phaseFunctions: { statement: Node; definition: Node }[] = [];
    const helpers = new Map<string, { statement: Node; definition: Node }>();
    for (const statement of topLevel) {
      const type = statement.type;
      if (type === 'expression_statement') readModuleAssignment(statement, file);
      const definition = type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
      if (definition?.type !== 'function_definition') {
        elsewhere.push([statement, type]);
        continue;
      }
      const name = definition.childForFieldName('name')?.text ?? '';
      if (phaseOf(name)) phaseFunctions.push({ statement, definition });
      else helpers.set(name, { statement, definition });
    }
    const calledHelpers = helpersCalled(phaseFunctions.map((f) => f.definition), helpers);
    const bodies: { phase: Phase; statements: BodyStatement[] }[] = [];
    const readHelpers = new Map<string, FunctionRead>();
    for (const [name, helper] of helpers) {
      const read = calledHelpers.has(name) ? readFunctionBody(helper.definition, context) : undefined;
      if (read) readHelpers.set(name, read);
      // An unused helper is read for its comments and imports only.
      else elsewhere.push([helper.statement, helper.statement.type]);
    }
    const bodyStatements = (read: FunctionRead, key: string, phase: Phase, via: HelperCall[] | undefined): BodyStatement[] =>
      read.statements.flatMap((node, i): BodyStatement[] => {
        const hasError = node.hasError;
        const statementKey = `${key}\0${[...context.opNames].join(',')}\0${node.text}`;
        const statement: BodyStatement = { node, body: read.body, via, key: statementKey, span: read.spans[i], hasError, reused: hasError ? undefined : this.readings.get(statementKey) };
        // A helper of the module called here runs here, as part of this phase (each helper once per chain of calls).
        const called = [...readHelpers.keys()].filter((name) => !via?.some((v) => v.name === name) && callsFunction(node.text, name));
        return [
          statement,
          ...called.flatMap((name) => {
            const call = helperCall(node, name, helpers.get(name)!.definition);
            return call ? bodyStatements(readHelpers.get(name)!, `${phase}:${name}`, phase, [...(via ?? []), call]) : [];
          }),
        ];
      });
    for (const { statement, definition } of phaseFunctions) {
      const read = readFunction(definition, file, context);
      if (!read) {
        elsewhere.push([statement, statement.type]);
        continue;
      }
      // Decorators, parameters, the line of the `def` itself: comments can sit there too.
      for (const part of statement.type === 'decorated_definition' ? statement.namedChildren : []) if (part && part.id !== definition.id) elsewhere.push([part, part.type]);
      for (const part of definition.namedChildren) if (part && part.id !== read.body.id) elsewhere.push([part, part.type]);
      file.comments.push(...read.comments);
      bodies.push({ phase: read.phase, statements: bodyStatements(read, read.name, read.phase, undefined) });
    }
    // A helper's own comments and imports are the file's once, however often it is called.
    for (const [name, read] of readHelpers) {
      const { statement, definition } = helpers.get(name)!;
      for (const part of statement.type === 'decorated_definition' ? statement.namedChildren : []) if (part && part.id !== definition.id) elsewhere.push([part, part.type]);
      for (const part of definition.namedChildren) if (part && part.id !== read.body.id) elsewhere.push([part, part.type]);
      file.comments.push(...read.comments);
    }
    for (const [node, type] of elsewhere) readCommentsAndImports(node, type, file);

    const toRead = bodies.flatMap((b) => b.statements.filter((s) => !s.reused));
    const nodesOf = nodesOfStatements(root, toRead, this.readings.size === 0);
    const next = new Map<string, StatementReading>();
    // A helper's statements are read once; a second call (or the other phase) copies what was read.
    const seenInHelpers = new Set<number>();
    for (const { phase, statements } of bodies) {
      for (const statement of statements) {
        const siblings = context.siblings.get(statement.body.id)!;
        const inHelper = statement.key.includes(':');
        let reading: StatementReading;
        if (statement.reused) {
          reading = moved(statement.reused, statement.span.start, siblings);
        } else {
          context.bodyPlaces = [];
          context.readOutsideStatement = false;
          const facts: StatementFacts = { ops: [], sql: [], executedExpressions: [], ormWrites: [], metadataCreateAll: [], enumCreates: [], comments: [], imports: [] };
          readStatement(statement.body, nodesOf.get(statement.node.id) ?? [], phase, facts, context);
          reading = { start: statement.span.start, facts, bodyPlaces: context.bodyPlaces };
          // What a statement means may depend on the rest of the file (an enum type assigned at module level).
          if (context.readOutsideStatement || statement.hasError) {
            appendFacts(file, withoutSharedFacts(facts, inHelper, seenInHelpers, statement.node.id), statement.via);
            continue;
          }
        }
        next.set(statement.key, reading);
        appendFacts(file, withoutSharedFacts(reading.facts, inHelper, seenInHelpers, statement.node.id), statement.via);
      }
    }
    this.readings = next;
    // Each operation's order within its phase, across the phase's functions.
    const counters = new Map<Phase | undefined, number>();
    for (const op of file.ops) {
      op.index = counters.get(op.phase) ?? 0;
      counters.set(op.phase, op.index + 1);
    }
    file.comments.sort((a, b) => a.span.start - b.span.start);
    file.imports.sort((a, b) => a.span.start - b.span.start);
    return file;
  }
}

function appendFacts(file: MigrationFile, facts: StatementFacts, via?: HelperCall[]): void {
  // Set on every append: a reading kept for the next read is appended again, maybe through other calls.
  for (const list of [facts.ops, facts.sql, facts.executedExpressions, facts.ormWrites]) for (const fact of list) fact.via = via;
  file.ops.push(...facts.ops);
  file.sql.push(...facts.sql);
  file.executedExpressions.push(...facts.executedExpressions);
  file.ormWrites.push(...facts.ormWrites);
  file.metadataCreateAll.push(...facts.metadataCreateAll);
  file.enumCreates.push(...facts.enumCreates);
  file.comments.push(...facts.comments);
  file.imports.push(...facts.imports);
}

/**
 * A reading moved to `start`; its places directly in the body get the body's current statements.
 * Facts are never changed once read, except an operation's index and a body place's siblings, so
 * a statement that did not move shares everything else with its last reading.
 */
function moved(reading: StatementReading, start: number, bodySiblings: Span[]): StatementReading {
  if (start === reading.start) return renewed(reading, bodySiblings);
  const copies = new Map<object, object>();
  // The body's statement list is replaced, not copied: copying it for every statement would cost its square.
  for (const place of reading.bodyPlaces) copies.set(place.siblings, bodySiblings);
  const facts = shiftedCopy(reading.facts, start - reading.start, copies);
  const bodyPlaces = reading.bodyPlaces.map((place) => copies.get(place) as StatementPlace | undefined).filter((p): p is StatementPlace => !!p);
  return { start, facts, bodyPlaces };
}

/** The same reading with new operation objects (to number) and new body places (to give siblings). */
function renewed(reading: StatementReading, bodySiblings: Span[]): StatementReading {
  const bodyPlaces: StatementPlace[] = [];
  const renewedPlaces = new Map<StatementPlace, StatementPlace>();
  for (const place of reading.bodyPlaces) {
    const copy = { ...place, siblings: bodySiblings };
    renewedPlaces.set(place, copy);
    bodyPlaces.push(copy);
  }
  const place = (p: StatementPlace | undefined) => (p && renewedPlaces.get(p)) ?? p;
  const ops = new Map(reading.facts.ops.map((op) => [op, { ...op, statement: place(op.statement) }]));
  const facts: StatementFacts = {
    ...reading.facts,
    ops: [...ops.values()],
    sql: reading.facts.sql.map((sql) => ({ ...sql, statement: place(sql.statement), call: sql.call && (ops.get(sql.call) ?? sql.call) })),
  };
  return { start: reading.start, facts, bodyPlaces };
}

/**
 * The nodes each statement's reading needs, in document order: a walk per statement when an
 * edit touched a few, one walk of the file (inside the parser) when there are many.
 */
function nodesOfStatements(root: Node, statements: BodyStatement[], firstRead: boolean): Map<number, FoundNode[]> {
  const nodes = new Map<number, FoundNode[]>();
  const found = (node: Node | null): node is Node => !!node;
  if (!firstRead && statements.length <= STATEMENT_WALKS_LIMIT) {
    for (const { node } of statements) {
      nodes.set(node.id, node.descendantsOfType(FILE_WALK_TYPES).filter(found).map(foundNode));
    }
    return nodes;
  }
  const all = root.descendantsOfType(FILE_WALK_TYPES).filter(found);
  let next = 0;
  // One pass in file order: a helper's statements come after the call that runs them, and may come twice.
  const inFileOrder = [...new Map(statements.map((s) => [s.node.id, s])).values()].sort((a, b) => a.span.start - b.span.start);
  for (const { node, span } of inFileOrder) {
    while (next < all.length && all[next].startIndex < span.start) next++;
    const own: FoundNode[] = [];
    for (; next < all.length && all[next].startIndex < span.end; next++) own.push(foundNode(all[next]));
    nodes.set(node.id, own);
  }
  return nodes;
}

/** A node of a walk, with what every reader asks of it first. */
interface FoundNode {
  node: Node;
  type: string;
  start: number;
}

function foundNode(node: Node): FoundNode {
  return { node, type: node.type, start: node.startIndex };
}

/** Where a module-level statement sits: in no function, under no condition. */
const MODULE_LEVEL = { typeCheckingOnly: false, inFunction: undefined };

const COMMENTS_AND_IMPORTS = ['comment', 'import_statement', 'import_from_statement'];

/** Comments and imports outside the phase functions' bodies (module level, `if TYPE_CHECKING:`, decorators). */
function readCommentsAndImports(node: Node, type: string, file: MigrationFile): void {
  if (readCommentOrImport(node, type, file, MODULE_LEVEL)) return;
  const text = node.text;
  if (!text.includes('#') && !text.includes('import')) return;
  for (const found of node.descendantsOfType(COMMENTS_AND_IMPORTS)) if (found) readCommentOrImport(found, found.type, file);
}

/** Records a comment or an import statement (false for any other node); `place` when the caller knows where it sits. */
function readCommentOrImport(
  node: Node,
  type: string,
  into: Pick<MigrationFile, 'comments' | 'imports'>,
  place?: { typeCheckingOnly: boolean; inFunction: string | undefined },
): boolean {
  if (type === 'comment') into.comments.push({ text: node.text, span: spanOf(node) });
  else if (type === 'import_statement' || type === 'import_from_statement') into.imports.push(readImportStatement(node, place));
  else return false;
  return true;
}

function readHeader(topLevel: Node[]): RevisionHeader | undefined {
  // The docstring, or the same header written after the imports (some templates put it there), before `revision = …`.
  const isString = (c: Node) => c.type === 'expression_statement' && (c.namedChildren[0]?.type === 'string' || c.namedChildren[0]?.type === 'concatenated_string');
  const first = topLevel.find((c) => c.type !== 'comment' && c.type !== 'import_statement' && c.type !== 'import_from_statement' && c.type !== 'future_import_statement');
  const literal = first && isString(first) ? first.namedChildren[0] : undefined;
  if (!literal) return undefined;
  const text = stringValue(literal);
  if (text === undefined) return undefined;
  const field = (label: string) => new RegExp(`^\\s*${label}:[ \\t]*(.*?)\\s*$`, 'mi').exec(text)?.[1];
  const firstLine = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l.length > 0);
  const isField = firstLine !== undefined && /^(Revision ID|Revises|Create Date):/i.test(firstLine);
  return {
    message: isField ? undefined : firstLine,
    revisionId: field('Revision ID') || undefined,
    revises: field('Revises'),
    createDate: field('Create Date'),
    span: spanOf(literal),
  };
}

function readModuleAssignment(statement: Node, file: MigrationFile): void {
  // Only four names matter; the text says which statements can bind them.
  if (!REVISION_VARIABLE.test(statement.text)) return;
  const assignment = statement.namedChildren[0];
  if (assignment?.type !== 'assignment') return;
  const target = assignment.childForFieldName('left');
  const value = assignment.childForFieldName('right');
  if (target?.type !== 'identifier' || !value) return;
  const elements = value.type === 'tuple' || value.type === 'list' || value.type === 'parenthesized_expression' ? value.namedChildren : [value];
  const strings = elements
    .filter((e): e is Node => !!e && (e.type === 'string' || e.type === 'concatenated_string'))
    .map((e) => ({ value: stringValue(e), span: spanOf(e) }))
    .filter((e): e is { value: string; span: Span } => e.value !== undefined);
  const names = elements.filter((e): e is Node => !!e && (e.type === 'identifier' || e.type === 'attribute')).map((e) => e.text);
  const assigned: AssignedValue = { value: literalValue(value), span: spanOf(statement), valueSpan: spanOf(value), strings, names };
  switch (target.text) {
    case 'revision':
      file.revision = assigned;
      break;
    case 'down_revision':
      file.downRevision = assigned;
      break;
    case 'branch_labels':
      file.branchLabels = assigned;
      break;
    case 'depends_on':
      file.dependsOn = assigned;
      break;
  }
}

const REVISION_VARIABLE = /^(revision|down_revision|branch_labels|depends_on)\b/;

/** `upgrade`, and the multi-database template's `upgrade_<engine>`, are the upgrade phase. */
function phaseOf(functionName: string): Phase | undefined {
  if (functionName === 'upgrade' || functionName.startsWith('upgrade_')) return 'upgrade';
  if (functionName === 'downgrade' || functionName.startsWith('downgrade_')) return 'downgrade';
  return undefined;
}

const OPERATIONS_IMPORT = /^from\s+alembic\s+import\b[^#\n]*\bop\s+as\s+(\w+)/;

/**
 * The names the operations object goes by: `op`; `from alembic import op as alembic_op`; and a
 * parameter of upgrade()/downgrade() through which the project passes it in (`def upgrade(op_)`
 * when its own runner calls `upgrade(op)`), or of any function, annotated `Operations`. A
 * parameter counts only when the function calls schema operations on it, so an `engine_name`
 * (Alembic's multi-database template) is never taken for it.
 */
function operationsNames(topLevel: Node[]): Set<string> {
  const names = new Set(['op']);
  for (const statement of topLevel) {
    if (statement.type === 'import_from_statement') {
      const alias = OPERATIONS_IMPORT.exec(statement.text.replace(/[()\s]+/g, ' '))?.[1];
      if (alias) names.add(alias);
      continue;
    }
    const definition = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (definition?.type !== 'function_definition') continue;
    const isPhase = !!phaseOf(definition.childForFieldName('name')?.text ?? '');
    for (const parameter of definition.childForFieldName('parameters')?.namedChildren ?? []) {
      if (!parameter) continue;
      const name = parameter.type === 'identifier' ? parameter.text : (parameter.childForFieldName('name') ?? parameter.namedChildren[0])?.text;
      const annotation = parameter.childForFieldName('type')?.text ?? '';
      if (!name || names.has(name)) continue;
      const annotated = /(^|\.)Operations$/.test(annotation);
      if ((annotated || isPhase) && callsSchemaOperationOn(definition, name)) names.add(name);
    }
  }
  return names;
}

function callsSchemaOperationOn(definition: Node, name: string): boolean {
  const body = definition.childForFieldName('body')?.text ?? '';
  for (const match of body.matchAll(new RegExp(`(?<![\\w.])${escapeRegExp(name)}\\.(\\w+)\\s*\\(`, 'g'))) {
    if (isSchemaOperation(match[1])) return true;
  }
  return false;
}

/** A function's body: its statements (comments left out) and their extents, and its comments. */
interface FunctionRead {
  name: string;
  body: Node;
  statements: Node[];
  spans: Span[];
  comments: Comment[];
}

function readFunctionBody(definition: Node, context: ReadContext): FunctionRead | undefined {
  const name = definition.childForFieldName('name')?.text ?? '';
  const body = definition.childForFieldName('body');
  if (!body) return undefined;
  const statements: Node[] = [];
  const spans: Span[] = [];
  const comments: Comment[] = [];
  for (const child of body.namedChildren) {
    if (!child) continue;
    const text = child.text;
    const span = { start: child.startIndex, end: child.startIndex + text.length };
    if (child.type === 'comment') {
      comments.push({ text, span });
    } else {
      statements.push(child);
      spans.push(span);
    }
  }
  // The body's statements are the siblings of every statement directly in it.
  context.siblings.set(body.id, spans);
  return { name, body, statements, spans, comments };
}

/** A phase function: records its FunctionBody and returns its body's statements and comments. */
function readFunction(definition: Node, file: MigrationFile, context: ReadContext): (FunctionRead & { phase: Phase }) | undefined {
  const read = readFunctionBody(definition, context);
  const phase = read && phaseOf(read.name);
  if (!read || !phase) return undefined;
  const { name, body, statements, spans } = read;
  const colon = definition.children.find((c) => c?.type === ':');
  file.functions.push({
    name,
    phase,
    definitionSpan: spanOf(definition),
    headerEnd: colon ? colon.endIndex : body.startIndex,
    bodySpan: spanOf(body),
    indent: indentationBefore(body),
    isEmpty: statements.every(isNoOpStatement),
    statements: spans,
    skippedWhen: earlyReturnCondition(statements),
  });
  return { ...read, phase };
}

/** Whether Python text calls a plain function by this name (`name(`, not `x.name(` or `def name(`). */
function callsFunction(text: string, name: string): boolean {
  return new RegExp(`(?<![\\w.])(?<!def\\s+)${escapeRegExp(name)}\\s*\\(`).test(text);
}

/** The first call to the helper `name` in a statement, with the argument text bound to each parameter. */
function helperCall(statement: Node, name: string, definition: Node): HelperCall | undefined {
  const call = statement.descendantsOfType('call').find((c) => c && callParts(c).callee?.type === 'identifier' && callParts(c).callee?.text === name);
  if (!call) return undefined;
  const parameters = parameterNames(definition);
  const { positional, keywords } = callArguments(call);
  const bound = new Map<string, string>();
  positional.forEach((argument, i) => parameters[i] && bound.set(parameters[i], argument.text));
  for (const [keyword, argument] of keywords) bound.set(keyword, argument.text);
  return { name, callSpan: spanOf(call), arguments: bound };
}

/** The module's helper functions that the phase functions call, directly or through other helpers. */
function helpersCalled(phaseFunctions: Node[], helpers: Map<string, { definition: Node }>): Set<string> {
  const called = new Set<string>();
  const pending = phaseFunctions.map((f) => f.text);
  while (pending.length) {
    const text = pending.pop()!;
    for (const [name, helper] of helpers) {
      if (called.has(name) || !callsFunction(text, name)) continue;
      called.add(name);
      pending.push(helper.definition.text);
    }
  }
  return called;
}

/**
 * A helper's statement read again for a second call or the other phase: its operations count
 * again, its comments and imports (the file's, once) do not.
 */
function withoutSharedFacts(facts: StatementFacts, inHelper: boolean, seen: Set<number>, node: number): StatementFacts {
  if (!inHelper) return facts;
  if (!seen.has(node)) {
    seen.add(node);
    return facts;
  }
  return { ...facts, comments: [], imports: [] };
}

interface Scope {
  batchAliases: Map<string, BatchScope>;
  autocommit: boolean;
  loop: Span | undefined;
  guard: OpGuard | undefined;
}

function indentationBefore(node: Node): string {
  return ' '.repeat(node.startPosition.column);
}

/**
 * `if <condition>: return` before the body's first operation (after docstrings, comments and
 * plain assignments), with no `else`: the function may end there having done nothing.
 */
function earlyReturnCondition(statements: Node[]): string | undefined {
  for (const statement of statements) {
    if (isNoOpStatement(statement)) continue;
    if (statement.type === 'expression_statement' && statement.namedChildren[0]?.type === 'assignment' && !/\bop\./.test(statement.text)) continue;
    if (statement.type !== 'if_statement') return undefined;
    const consequence = statement.childForFieldName('consequence');
    const alternatives = statement.childrenForFieldName('alternative');
    const only = consequence?.namedChildren.filter((c) => c?.type !== 'comment');
    if (alternatives.length > 0 || only?.length !== 1 || only[0]?.type !== 'return_statement') return undefined;
    return statement.childForFieldName('condition')?.text;
  }
  return undefined;
}

function isNoOpStatement(statement: Node): boolean {
  if (statement.type === 'pass_statement') return true;
  if (statement.type === 'expression_statement') {
    const only = statement.namedChildren[0];
    if (only?.type === 'call') return MESSAGE_CALL.test(dottedName(callParts(only).callee) ?? '');
    return !!only && (only.type === 'ellipsis' || only.type === 'string' || only.type === 'concatenated_string');
  }
  return false;
}

/** `print(...)`, `log.info(...)`, `warnings.warn(...)`: a downgrade that only says something does nothing to the schema. */
const MESSAGE_CALL = /^(print|(\w+\.)*(log|logger|logging|LOG|warnings)\.(debug|info|warning|warn|error|critical|exception))$/;

/** A `with`, a loop, a block or an expression statement, with its extent in the file. */
interface Enclosure {
  node: Node;
  kind: 'with' | 'loop' | 'block' | 'statement' | 'if' | 'elif' | 'else' | 'try';
  start: number;
  end: number;
}

const ENCLOSURE_KINDS = new Map<string, Enclosure['kind']>([
  ['with_statement', 'with'],
  ['for_statement', 'loop'],
  ['while_statement', 'loop'],
  ['block', 'block'],
  ['expression_statement', 'statement'],
  ['if_statement', 'if'],
  ['elif_clause', 'elif'],
  ['else_clause', 'else'],
  ['try_statement', 'try'],
]);

const FILE_WALK_TYPES = ['comment', 'import_statement', 'import_from_statement', 'call', 'as_pattern', ...ENCLOSURE_KINDS.keys()];

/**
 * Reads every call of a function body with the scopes that change what it means:
 * `with op.batch_alter_table(...) as alias:`, `with ...autocommit_block():` and loops.
 * One walk in document order sees each enclosure before what it holds, so a stack gives every
 * call its scope: asking the parser for a node's parent walks down from the root each time.
 */
function readStatement(body: Node, found: FoundNode[], phase: Phase, facts: StatementFacts, context: ReadContext): void {
  // Only calls that can be operations are read: op.*, a batch alias, execute, .create.
  const aliases = new Set<string>();
  let mayBeRelevant = relevantCallText(aliases, context.opNames);
  const open: Enclosure[] = [{ node: body, kind: 'block', start: body.startIndex, end: body.endIndex }];
  for (const { node, type, start } of found) {
    // The body block starts where its first statement does: a walk of the file lists it there.
    if (node.id === body.id) continue;
    // Nodes nest and no statement sits inside a call: whatever is open and not ended holds this node.
    while (open.length > 1 && open[open.length - 1].end <= start) open.pop();
    if (readCommentOrImport(node, type, facts)) continue;
    if (type === 'as_pattern') {
      const alias = node.childForFieldName('alias')?.text;
      if (alias && !aliases.has(alias)) mayBeRelevant = relevantCallText(aliases.add(alias), context.opNames);
      continue;
    }
    const kind = ENCLOSURE_KINDS.get(type);
    if (kind) {
      open.push({ node, kind, start, end: node.endIndex });
      continue;
    }
    const text = node.text;
    if (!mayBeRelevant.test(text)) continue;
    const callee = callParts(node).callee;
    if (callee?.type !== 'attribute') continue;
    const { object: receiver, attribute } = attributeParts(callee);
    const name = attribute?.text ?? '';
    const receiverText = receiver?.text ?? '';
    const relevant =
      context.opNames.has(receiverText) ||
      aliases.has(receiverText) ||
      name === 'execute' ||
      name === 'exec_driver_sql' ||
      name === 'create' ||
      name === 'create_all' ||
      ormWriteMethod(name, receiverText) !== undefined ||
      // `query.delete()` on a query kept in a variable; `session.commit()` after objects were changed.
      ((name === 'delete' || name === 'update') && receiver?.type === 'identifier') ||
      ((name === 'commit' || name === 'flush') && isOrmSession(receiverText));
    if (!relevant || !receiver) continue;
    const place = { id: node.id, span: { start, end: start + text.length }, text, enclosures: open };
    readCall(node, callee, receiver, name, place, phase, facts, scopeOf(open, context, start), context);
  }
}

/** Calls whose text names none of these cannot be operations: most calls (sa.Column(...)) are skipped unread. */
function relevantCallText(aliases: Set<string>, opNames: Set<string>): RegExp {
  return new RegExp(`\\b(?:${[...opNames, 'execute', 'exec_driver_sql', 'create', 'create_all', ...ORM_WRITES, 'update', 'commit', 'flush', ...[...aliases].map(escapeRegExp)].join('|')})\\b`);
}

/** The scope of a call, from its enclosures (outermost first): the innermost loop and alias win. */
function scopeOf(enclosures: Enclosure[], context: ReadContext, start: number): Scope {
  const scope: Scope = { batchAliases: new Map(), autocommit: false, loop: undefined, guard: undefined };
  for (let i = enclosures.length - 1; i >= 0; i--) {
    const enclosure = enclosures[i];
    if (enclosure.kind === 'loop') scope.loop ??= { start: enclosure.start, end: enclosure.end };
    if (!scope.guard) scope.guard = guardOf(enclosure, enclosures[i - 1], start);
    else if (scope.guard.kind === 'try' && !scope.guard.branch && enclosure.kind !== 'try') {
      const branch = guardOf(enclosure, enclosures[i - 1], start);
      if (branch) scope.guard = { ...scope.guard, branch };
    }
    if (enclosure.kind !== 'with') continue;
    let facts = context.withScopes.get(enclosure.node.id);
    if (!facts) context.withScopes.set(enclosure.node.id, (facts = readWithScope(enclosure.node, context.opNames)));
    if (facts.autocommit) scope.autocommit = true;
    for (const [alias, batch] of facts.aliases) if (!scope.batchAliases.has(alias)) scope.batchAliases.set(alias, batch);
  }
  return scope;
}

/**
 * An `except` whose own block (not a branch inside it) raises again or ends the process
 * (`sys.exit(1)`) hides nothing: the migration stops there, whatever the error was. The old
 * test `raise` anywhere in the handler stays as the rule for a bare re-raise in any branch.
 */
function handlerStops(handler: Node): boolean {
  if (/\braise\b/.test(handler.text)) return true;
  const block = handler.namedChildren.find((c) => c?.type === 'block');
  return (block?.namedChildren ?? []).some((statement) => {
    const call = statement?.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
    return call?.type === 'call' && /^(sys\.exit|exit|quit|os\._exit)$/.test(callParts(call).callee?.text ?? '');
  });
}

/** The guard an `if`/`elif`/`else`/`try` enclosure puts on what it holds (`outer` holds it). */
function guardOf(enclosure: Enclosure, outer: Enclosure | undefined, start: number): OpGuard | undefined {
  switch (enclosure.kind) {
    case 'try': {
      const body = enclosure.node.childForFieldName('body');
      const inBody = !!body && start >= body.startIndex && start < body.endIndex;
      const handlers = enclosure.node.namedChildren.filter((c): c is Node => !!c && (c.type === 'except_clause' || c.type === 'except_group_clause'));
      return { kind: 'try', condition: undefined, swallowed: inBody && handlers.some((h) => !handlerStops(h)) };
    }
    case 'if':
    case 'elif':
      return { kind: 'if', condition: enclosure.node.childForFieldName('condition')?.text };
    case 'else':
      // `else` of a `try` (runs when nothing was raised) is no branch of a condition.
      if (outer?.kind === 'try') return { kind: 'try', condition: undefined };
      return { kind: 'else', condition: outer?.kind === 'if' ? outer.node.childForFieldName('condition')?.text : undefined };
    default:
      return undefined;
  }
}

/** Where a call was found: its extent and text, and the enclosures around it (outermost first). */
interface CallPlace {
  id: number;
  span: Span;
  text: string;
  enclosures: Enclosure[];
}

function readWithScope(statement: Node, opNames: Set<string>): { autocommit: boolean; aliases: Map<string, BatchScope> } {
  const aliases = new Map<string, BatchScope>();
  let autocommit = false;
  const clause = statement.children.find((c) => c?.type === 'with_clause') ?? statement;
  for (const item of clause.descendantsOfType(['call', 'as_pattern'])) {
    if (!item) continue;
    // `op.get_context().autocommit_block()`: the callee's object is itself a call.
    const callee = item.type === 'call' ? callParts(item).callee : undefined;
    if (callee?.type === 'attribute' && attributeParts(callee).attribute?.text === 'autocommit_block') autocommit = true;
    if (item.type !== 'as_pattern') continue;
    const call = item.namedChildren[0];
    const alias = item.childForFieldName('alias')?.text;
    const opened = call?.type === 'call' && callParts(call).callee?.type === 'attribute' ? attributeParts(callParts(call).callee!) : undefined;
    if (call?.type === 'call' && alias && opened?.attribute?.text === 'batch_alter_table' && opNames.has(dottedName(opened.object) ?? '')) {
      const { positional, keywords } = callArguments(call);
      const table = literalValue(positional[0] ?? keywords.get('table_name'));
      const schema = literalValue(keywords.get('schema'));
      aliases.set(alias, { table: typeof table === 'string' ? table : undefined, schema: typeof schema === 'string' ? schema : undefined });
    }
  }
  return { autocommit, aliases };
}

interface BatchScope {
  table: string | undefined;
  schema: string | undefined;
}

/** Per-file caches while one file is read: statement siblings per block, ops per phase. */
interface ReadContext {
  siblings: Map<number, Span[]>;
  withScopes: Map<number, { autocommit: boolean; aliases: Map<string, BatchScope> }>;
  /** Places of the statement being read that sit directly in the function body. */
  bodyPlaces: StatementPlace[];
  /** The statement being read was looked up beyond itself: its reading cannot be reused. */
  readOutsideStatement: boolean;
  /** Names the operations object goes by in this file: `op`, an import alias, a parameter the project passes it in. */
  opNames: Set<string>;
}

function readCall(
  call: Node,
  callee: Node,
  receiverNode: Node,
  name: string,
  place: CallPlace,
  phase: Phase,
  facts: StatementFacts,
  scope: Scope,
  context: ReadContext,
): void {
  if (!name) return;
  if (name === 'create') context.readOutsideStatement = true;
  if (name === 'create' && isEnumType(receiverNode, call)) {
    readEnumCreate(call, phase, facts);
    return;
  }
  // `table.create(bind)` / `sa.Table(...).create(conn)`: a table built from a definition the migration holds elsewhere.
  if (name === 'create' && !context.opNames.has(receiverNode.text) && callArguments(call).positional.length + callArguments(call).keywords.size > 0) {
    facts.metadataCreateAll.push({ phase, callSpan: place.span });
    return;
  }
  const named = dottedName(receiverNode);
  // Whatever name the operations object goes by, its calls read as `op.*` calls.
  const receiver = named && context.opNames.has(named) ? 'op' : named;
  const batch = receiver ? scope.batchAliases.get(receiver) : undefined;
  // op.f(), op.inline_literal(), op.get_bind(), op.get_context() build values; they are not operations.
  if (receiver === 'op' && EXPRESSION_HELPERS.has(name)) return;
  if (receiver === 'op' || batch) {
    const op = readOpCall(call, callee, name, receiver!, batch, place, phase, scope, context);
    facts.ops.push(op);
    if (name === 'execute') readExecutedSql(call, op, place, phase, facts, scope, context);
    return;
  }
  // conn.execute(...), op.get_bind().execute(...), session.execute(...): SQL run on a connection.
  if (name === 'execute' || name === 'exec_driver_sql') {
    readExecutedSql(call, undefined, place, phase, facts, scope, context);
    return;
  }
  const receiverText = receiverNode.text;
  if (name === 'create_all' && /(^|\.)metadata$/i.test(receiverText)) {
    facts.metadataCreateAll.push({ phase, callSpan: place.span });
    return;
  }
  const method = ormWriteMethod(name, receiverText) ?? storedQueryWrite(name, receiverNode, call, context) ?? changedObjectsCommitted(name, receiverText, call, context);
  if (method && (!PENDING_UNTIL_FLUSH.has(method) || flushedLater(call, context))) facts.ormWrites.push({ method, phase, callSpan: place.span, loop: scope.loop });
}

/** Session methods that only stage a change: nothing reaches the database until the session flushes. */
const PENDING_UNTIL_FLUSH = new Set(['add', 'add_all', 'merge', 'delete']);

/**
 * Whether the session flushes after this call in its function: a commit or flush, or a query
 * (autoflush). A session dropped without either sends nothing to the database.
 */
function flushedLater(call: Node, context: ReadContext): boolean {
  const body = enclosingFunction(call);
  if (!body) return true;
  context.readOutsideStatement = true;
  return /\.(commit|flush|query|execute|scalars?|get)\s*\(/.test(body.text.slice(call.endIndex - body.startIndex));
}

/** `q.delete()` / `q.update(...)` where `q = session.query(X)…` earlier in the function. */
function storedQueryWrite(name: string, receiver: Node, call: Node, context: ReadContext): string | undefined {
  if ((name !== 'delete' && name !== 'update') || receiver.type !== 'identifier') return undefined;
  const value = assignmentBefore(call, context)(receiver.text, call.startIndex)?.childForFieldName('right')?.text ?? '';
  const query = QUERY_OF.exec(value);
  return query && isOrmSession(query[1]) ? `query().${name}` : undefined;
}

/**
 * `session.commit()` / `flush()` after an attribute of a loaded object was set: `for row in
 * session.query(X): row.col = …` or `obj = session.query(X).first(); obj.col = …`.
 */
function changedObjectsCommitted(name: string, receiverText: string, call: Node, context: ReadContext): string | undefined {
  if ((name !== 'commit' && name !== 'flush') || !isOrmSession(receiverText)) return undefined;
  const body = enclosingFunction(call);
  if (!body) return undefined;
  // What the commit writes depends on the statements before it.
  context.readOutsideStatement = true;
  const upToCall = body.text.slice(0, call.startIndex - body.startIndex);
  // Changes since the last commit or flush: those were written by it.
  const lastWrite = Math.max(upToCall.lastIndexOf('.commit('), upToCall.lastIndexOf('.flush('));
  const changes = lastWrite >= 0 ? upToCall.slice(lastWrite) : upToCall;
  const loaded = new Set<string>();
  for (const match of upToCall.matchAll(/\bfor\s+(\w+)\s+in\s+[^\n]*\.query\s*\(|^\s*(\w+)\s*=\s*[^\n=]*\.query\s*\([^\n]*\.(?:first|one|one_or_none|get|scalar)\s*\(/gm)) loaded.add(match[1] ?? match[2]);
  for (const object of loaded) if (new RegExp(`^\\s*${escapeRegExp(object)}\\.\\w+\\s*=[^=]`, 'm').test(changes)) return name;
  return undefined;
}

/** `add`, `merge`… for a write through a session; `query().update` / `query().delete` for a query's; else undefined. */
function ormWriteMethod(name: string, receiver: string): string | undefined {
  if (ORM_WRITES.has(name) && isOrmSession(receiver)) return name;
  if (name !== 'update' && name !== 'delete') return undefined;
  // `session.query(X)…`: the query writes every row it matches.
  const query = QUERY_OF.exec(receiver);
  return query && isOrmSession(query[1]) ? `query().${name}` : undefined;
}

/** Session methods that write rows (reads, `commit` and `flush` write nothing by themselves). */
const ORM_WRITES = new Set(['add', 'add_all', 'merge', 'delete', 'bulk_save_objects', 'bulk_insert_mappings', 'bulk_update_mappings']);

/**
 * A session as migrations name one (`session`, `db_session`, `db.session`, `sess`), or one made
 * on the spot (`Session(bind=bind)`, `orm.Session(bind=op.get_bind())`).
 */
function isOrmSession(receiver: string): boolean {
  return /(^|[._])session$|^sess$/i.test(receiver) || /^([\w.]+\.)?Session\s*\(/.test(receiver);
}

/** What `.query(` is called on, at the start of a chain. */
const QUERY_OF = /^(.*?)\s*\.\s*query\s*\(/;

const EXPRESSION_HELPERS = new Set(['f', 'inline_literal', 'get_bind', 'get_context']);

const ENUM_TYPE = /(^|\.)(Enum|ENUM)$/;

/** `sa.Enum(...).create(...)`, or `name.create(...)` where `name = postgresql.ENUM(...)` in this file. */
function isEnumType(receiver: Node, call: Node): boolean {
  if (receiver.type === 'call') return ENUM_TYPE.test(dottedName(callParts(receiver).callee) ?? '');
  if (receiver.type !== 'identifier') return false;
  let root: Node = call;
  while (root.parent) root = root.parent;
  for (const node of root.descendantsOfType('assignment')) {
    if (!node || node.childForFieldName('left')?.text !== receiver.text) continue;
    const value = node.childForFieldName('right');
    if (value?.type === 'call' && ENUM_TYPE.test(dottedName(callParts(value).callee) ?? '')) return true;
  }
  return false;
}

function readEnumCreate(call: Node, phase: Phase, facts: StatementFacts): void {
  const { positional, keywords } = callArguments(call);
  const list = callParts(call).list;
  // `Enum(...).create(x for x in y)`: no argument list to read or extend.
  if (!list) return;
  const argumentsInList = list.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  const last = argumentsInList[argumentsInList.length - 1];
  facts.enumCreates.push({
    phase,
    callSpan: spanOf(call),
    checkfirst: keywords.get('checkfirst')?.type === 'true' || (positional.length >= 2 && positional[1].type === 'true'),
    checkfirstWritten: keywords.has('checkfirst') || positional.length >= 2,
    insertAt: last ? last.endIndex : list.startIndex + 1,
    hasArguments: !!last,
  });
}

function readOpCall(
  call: Node,
  callee: Node,
  name: string,
  receiver: string,
  batch: BatchScope | undefined,
  place: CallPlace,
  phase: Phase,
  scope: Scope,
  context: ReadContext,
): OpCall {
  const { positional, keywords } = callArguments(call);
  const parameters = opParameters(name, !!batch);
  const args = new Map<string, OpArgument>();
  const toArgument = (node: Node): OpArgument => {
    const text = node.text;
    return { text, value: argumentValue(node, text), span: { start: node.startIndex, end: node.startIndex + text.length } };
  };
  positional.forEach((node, i) => {
    if (i < parameters.length) args.set(parameters[i], toArgument(node));
  });
  for (const [key, node] of keywords) args.set(key, toArgument(node));
  const extraArguments = positional.slice(parameters.length).map(toArgument);
  const tableKey = tableParameter(name);
  const tableValue = batch ? batch.table : tableKey ? args.get(tableKey)?.value : undefined;
  // create_foreign_key names the schema of its source table `source_schema`.
  const schemaValue = args.get(name === 'create_foreign_key' ? 'source_schema' : 'schema')?.value ?? args.get('schema')?.value;
  const addedColumn = name === 'add_column' ? (positional[parameters.indexOf('column')] ?? keywords.get('column')) : undefined;
  const column = addedColumn ? readColumnDefinition(addedColumn) : undefined;
  const elements = name === 'create_table' ? positional.slice(1).map(readTableElement).filter((e): e is TableElement => !!e) : [];
  const columns = name === 'create_table' ? elements.flatMap((e) => (e.kind === 'column' ? [e.column.name] : [])) : column ? [column.name] : [];
  return {
    name,
    receiver,
    batched: !!batch,
    phase,
    // Numbered once the whole file is read.
    index: 0,
    arguments: args,
    extraArguments,
    table: typeof tableValue === 'string' ? tableValue : undefined,
    schema: typeof schemaValue === 'string' ? schemaValue : (batch?.schema ?? undefined),
    callSpan: place.span,
    source: place.text,
    nameSpan: spanOf(callee),
    statement: statementPlace(place, context),
    columns,
    column,
    references: [...new Set(emittedForeignKeys(elements).flatMap((fk) => (fk.referredTable ? [fk.referredTable] : [])))],
    elements,
    guard: scope.guard,
    inAutocommit: scope.autocommit,
    loop: scope.loop,
  };
}

/** The foreign keys `create_table` emits: the columns' and the table's, except `use_alter` ones. */
function emittedForeignKeys(elements: TableElement[]) {
  return elements
    .flatMap((e) => (e.kind === 'column' ? e.column.foreignKeys : e.kind === 'foreign_key' ? [e.foreignKey] : []))
    .filter((fk) => !fk.useAlter);
}

function readExecutedSql(
  call: Node,
  op: OpCall | undefined,
  place: CallPlace,
  phase: Phase,
  facts: StatementFacts,
  scope: Scope,
  context: ReadContext,
): void {
  const { positional, keywords } = callArguments(call);
  const first = positional[0] ?? keywords.get('sqltext');
  if (!first) return;
  const composed = composedSql(first, assignmentBefore(call, context));
  if (!composed) {
    // A SQLAlchemy expression (users.update()...): its text is all we know.
    facts.executedExpressions.push({ source: first.text, phase, callSpan: place.span, loop: scope.loop });
    return;
  }
  facts.sql.push({
    sql: composed.sql,
    phase,
    span: composed.span,
    call: op,
    callSpan: place.span,
    statement: statementPlace(place, context),
    inAutocommit: scope.autocommit,
    loop: scope.loop,
    guard: scope.guard,
    dynamic: composed.dynamic,
  });
}

/**
 * The assignment of a name that a use inside `node`'s function sees: the last `name = …` before
 * the use in that function, else the last at module level.
 */
function assignmentBefore(node: Node, context: ReadContext): AssignmentLookup {
  return (name, before) => {
    // What the statement means now depends on the rest of the file.
    context.readOutsideStatement = true;
    const scopes: Node[] = [];
    for (let at: Node | null = node.parent; at; at = at.parent) {
      if (at.type === 'function_definition') scopes.push(at.childForFieldName('body') ?? at);
      if (at.type === 'module') scopes.push(at);
    }
    for (const scope of scopes) {
      let found: Node | undefined;
      const candidates = scope.type === 'module' ? scope.namedChildren.flatMap((c) => (c?.type === 'expression_statement' ? c.namedChildren : [])) : scope.descendantsOfType('assignment');
      for (const assignment of candidates) {
        if (!assignment || assignment.type !== 'assignment' || assignment.startIndex >= before) continue;
        if (assignment.childForFieldName('left')?.text === name) found = assignment;
      }
      if (found) return found;
    }
    return undefined;
  };
}

/**
 * The statement a call makes on its own (`op.drop_table("t")`), or undefined inside a larger
 * expression: the innermost enclosure is an expression statement that starts with the call.
 */
function statementPlace(place: CallPlace, context: ReadContext): StatementPlace | undefined {
  const { enclosures, span } = place;
  const statement = enclosures[enclosures.length - 1];
  const block = enclosures[enclosures.length - 2];
  if (statement?.kind !== 'statement' || statement.start !== span.start || block?.kind !== 'block') return undefined;
  if (statement.node.firstNamedChild?.id !== place.id) return undefined;
  let siblings = context.siblings.get(block.node.id);
  if (!siblings) {
    siblings = block.node.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment').map(spanOf);
    context.siblings.set(block.node.id, siblings);
  }
  const result = { span: { start: statement.start, end: statement.end }, siblings };
  // Directly in the function body (the body is the outermost enclosure): its siblings change with any statement.
  if (enclosures.length === 2) context.bodyPlaces.push(result);
  return result;
}

