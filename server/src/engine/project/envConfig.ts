import type { Node, Tree } from 'web-tree-sitter';
import { callArguments, descendants, dottedName, literalValue, parameterNames, Span, spanOf } from '../python/syntax';
import { ListLiteral, readListLiteral } from './pythonModule';

export interface ConfigureCall {
  span: Span;
  /** Offset of the closing parenthesis. */
  closeParen: number;
  keywords: string[];
  /** Arguments on their own lines, indented by `argumentIndent`. */
  multiline: boolean;
  lastArgumentEnd: number | undefined;
  argumentIndent: string;
}

export interface FilterFunction {
  kind: 'include_object' | 'include_name';
  name: string;
  parameters: string[];
  definitionSpan: Span;
  /** Offset where the body's first statement starts, and its indentation. */
  bodyStart: number;
  bodyIndent: string;
}

/** What env.py tells Alembic: target metadata, object filters, configure calls. */
export interface EnvConfig {
  file: string;
  filter: FilterFunction | undefined;
  /** Any `context.configure(...)` passes include_object= or include_name=. */
  filterWired: boolean;
  excludedTables: Set<string>;
  /** The module-level collection of table names the filter tests, when there is one. */
  exclusionList: { name: string; literal: ListLiteral } | undefined;
  configureCalls: ConfigureCall[];
  /** The name `target_metadata` is read from (`Base` in `Base.metadata`), and where. */
  targetMetadata: { root: string | undefined; span: Span } | undefined;
  /** Where a new module-level function goes: before the first `def`. */
  functionInsertionPoint: number;
  moduleNames: Set<string>;
  /** A configure call passes `transaction_per_migration=True`: each revision commits on its own. */
  transactionPerMigration: boolean;
  /** The connection is opened with `isolation_level="AUTOCOMMIT"`: no migration runs in a transaction. */
  autocommit: boolean;
  /** env.py sets `lock_timeout` or `statement_timeout` for every migration: a team migrating under traffic. */
  setsLockTimeouts: boolean;
}

export function readEnvConfig(file: string, tree: Tree): EnvConfig {
  const root = tree.rootNode;
  const collections = new Map<string, ListLiteral>();
  const moduleNames = new Set<string>();
  let targetMetadata: EnvConfig['targetMetadata'];
  let functionInsertionPoint = root.endIndex;
  const filters: FilterFunction[] = [];
  for (const statement of root.namedChildren) {
    if (!statement) continue;
    const assignment = statement.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
    if (assignment?.type === 'assignment') {
      const target = assignment.childForFieldName('left');
      const value = assignment.childForFieldName('right');
      if (target?.type === 'identifier' && value) {
        moduleNames.add(target.text);
        const literal = readListLiteral(unwrapFrozenset(value));
        if (literal) collections.set(target.text, literal);
        if (target.text === 'target_metadata') targetMetadata = { root: metadataRoot(value), span: spanOf(statement) };
      }
    }
    const definition = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (definition?.type === 'function_definition') {
      functionInsertionPoint = Math.min(functionInsertionPoint, statement.startIndex);
      const name = definition.childForFieldName('name')?.text ?? '';
      moduleNames.add(name);
      const filter = readFilter(definition, name);
      if (filter) filters.push(filter);
    }
  }
  const configureCalls: ConfigureCall[] = [];
  let transactionPerMigration = false;
  let autocommit = false;
  for (const node of descendants(root)) {
    if (node.type === 'call' && /(^|\.)context\.configure$|^configure$/.test(dottedName(node.childForFieldName('function')) ?? '')) {
      configureCalls.push(readConfigureCall(node));
      if (callArguments(node).keywords.get('transaction_per_migration')?.text === 'True') transactionPerMigration = true;
    }
    // create_engine(..., isolation_level="AUTOCOMMIT"), connection.execution_options(isolation_level="AUTOCOMMIT")
    if (node.type === 'keyword_argument' && node.childForFieldName('name')?.text === 'isolation_level' && literalValue(node.childForFieldName('value')) === 'AUTOCOMMIT') autocommit = true;
  }
  const wiredNames = new Set(
    configureCalls.flatMap((c) => c.keywords.filter((k) => k === 'include_object' || k === 'include_name')),
  );
  const filter = filters.find((f) => wiredNames.has(f.kind)) ?? filters[0];
  const excludedTables = new Set<string>();
  let exclusionList: EnvConfig['exclusionList'];
  if (filter) {
    const definition = root.descendantForIndex(filter.definitionSpan.start, filter.definitionSpan.end) ?? root;
    // Only what the filter tests the object's name against: `name in EXCLUDED`, `name == "x"`. Collections of
    // (table, columns) pairs that skip one index or foreign key exclude no table.
    const nameParameter = filter.parameters[filter.kind === 'include_object' ? 1 : 0];
    const locals = new Map<string, Node>();
    for (const node of descendants(definition)) {
      if (node.type === 'assignment' && node.childForFieldName('left')?.type === 'identifier' && node.childForFieldName('right')) locals.set(node.childForFieldName('left')!.text, node.childForFieldName('right')!);
    }
    for (const node of descendants(definition)) {
      if (node.type !== 'comparison_operator') continue;
      const operands = node.namedChildren.filter((c): c is Node => !!c);
      if (operands.length !== 2 || operands[0].text !== nameParameter) continue;
      const operator = node.children.find((c) => c && !c.isNamed)?.text ?? '';
      const other = operands[1];
      if (operator === '==') {
        const value = literalValue(other);
        if (typeof value === 'string') excludedTables.add(value);
      } else if (operator === 'in' || operator === 'not') {
        if (other.type === 'identifier' && collections.has(other.text)) {
          const literal = collections.get(other.text)!;
          literal.items.forEach((t) => excludedTables.add(t));
          exclusionList ??= { name: other.text, literal };
          continue;
        }
        const value = literalValue(other.type === 'identifier' ? (locals.get(other.text) ?? other) : unwrapFrozenset(other));
        if (Array.isArray(value)) value.forEach((v) => typeof v === 'string' && excludedTables.add(v));
      }
    }
  }
  return {
    file,
    filter,
    filterWired: wiredNames.size > 0,
    excludedTables,
    exclusionList,
    configureCalls,
    targetMetadata,
    functionInsertionPoint: functionInsertionPoint === root.endIndex ? root.endIndex : functionInsertionPoint,
    moduleNames,
    transactionPerMigration,
    autocommit,
    setsLockTimeouts: /\b(lock_timeout|statement_timeout)\b/.test(root.text),
  };
}

function unwrapFrozenset(node: Node): Node {
  if (node.type === 'call' && /^(frozenset|set|tuple|list)$/.test(node.childForFieldName('function')?.text ?? '')) {
    return callArguments(node).positional[0] ?? node;
  }
  return node;
}

/** `Base.metadata` → Base, `SQLModel.metadata` → SQLModel, `[a.metadata, …]` → a; `db.Model.metadata` → db. */
function metadataRoot(value: Node): string | undefined {
  const first = value.type === 'list' || value.type === 'tuple' ? value.namedChildren.find((c) => c && c.type !== 'comment') : value;
  const dotted = dottedName(first ?? null);
  return dotted?.split('.')[0];
}

function readFilter(definition: Node, name: string): FilterFunction | undefined {
  if (name !== 'include_object' && name !== 'include_name') return undefined;
  const parameters = parameterNames(definition);
  const body = definition.childForFieldName('body')!;
  const firstStatement = body.namedChildren.find((c) => c && c.type !== 'comment') ?? body;
  return {
    kind: name,
    name,
    parameters,
    definitionSpan: spanOf(definition),
    bodyStart: firstStatement.startIndex,
    bodyIndent: ' '.repeat(firstStatement.startPosition.column),
  };
}

function readConfigureCall(call: Node): ConfigureCall {
  const list = call.childForFieldName('arguments')!;
  const argumentNodes = list.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  const last = argumentNodes[argumentNodes.length - 1];
  const close = list.children[list.children.length - 1];
  const multiline = !!last && last.startPosition.row !== list.startPosition.row;
  return {
    span: spanOf(call),
    closeParen: close?.type === ')' ? close.startIndex : list.endIndex,
    keywords: [...callArguments(call).keywords.keys()],
    multiline,
    lastArgumentEnd: last?.endIndex,
    argumentIndent: multiline && last ? ' '.repeat(argumentNodes[0].startPosition.column) : '',
  };
}
