import type { MigrationFile, OpCall, Phase, SqlString, TableElement } from '../migration/migrationFile';
import { runsAt } from '../migration/executionOrder';
import type { SqlColumn, SqlConstraint, SqlEffect } from '../sql/sqlStatements';
import { effectsOf, wasParsed } from './statementEffects';
import { escapeRegExp } from '../text/wordPattern';
import { defaultNames } from './defaultNames';
import { conventionName, NamingConvention } from './namingConvention';
import { ChangeSource, ColumnState, ConstraintKind, SchemaState, TableObject, TableState } from './schemaState';

/** Something a phase dropped that the state did not know: it existed before what the migrations show. */
export interface UnknownDrop {
  family: 'table' | 'column' | 'index' | 'constraint';
  table: string | undefined;
  schema: string | undefined;
  name: string;
  /** For constraints: `type_` as written. */
  kind: string | undefined;
  source: ChangeSource;
}

/** `DROP … CASCADE` in raw SQL, and what went with it as far as the state knows. */
export interface CascadeDrop {
  source: ChangeSource;
  what: string;
  dependents: string[];
}

/** What replaying one phase of one migration learned beyond the state it leaves. */
export interface PhaseReplay {
  phase: Phase;
  /** Drops of objects the state did not know. */
  unknownDrops: UnknownDrop[];
  /** Tables (keys) an operation touched that could not be read (a name held in a variable…). */
  opaqueTables: Set<string>;
  /** The phase does something that cannot be read (SQL held in a variable, a DO block, an unreadable name): nothing about it is certain. */
  opaque: boolean;
  cascades: CascadeDrop[];
  /** Every table, column, index and constraint the phase dropped, with the operation. */
  dropped: { table: TableState; column?: ColumnState; object?: TableObject; source: ChangeSource }[];
  /** Tables renamed (keys before and after). */
  renamed: { from: string; to: string; source: ChangeSource }[];
  /**
   * Operations on a table or column that does not exist at that point (they fail when run): a
   * table the chain dropped or renamed away, a column a fully known table lacks.
   * Operations under an `if` or `try` are left out: they may not run.
   */
  missing: { source: ChangeSource; what: string }[];
  /** Columns renamed, by table key. */
  renamedColumns: { table: string; from: string; to: string; source: ChangeSource }[];
}

/** Statements that change nothing the state holds (or nothing the rules compare). */
const NEUTRAL_SQL = /^(SelectStmt|CreateFunctionStmt|CreateTrigStmt|DropTrigStmt|ViewStmt|CommentStmt|GrantStmt|GrantRoleStmt|CreateEnumStmt|AlterEnumStmt|VariableSetStmt|CreateSeqStmt|AlterSeqStmt|CreateExtensionStmt|DropExtensionStmt|CreateSchemaStmt|CreateRoleStmt|AlterOwnerStmt|CreateDomainStmt|CompositeTypeStmt|CreatePolicyStmt|RuleStmt|LockStmt|NotifyStmt|TransactionStmt|ExplainStmt|CopyStmt|VacuumStmt|ClusterStmt|ReindexStmt|RefreshMatViewStmt|AlterTableStmt:AT_ColumnDefault|AlterTableStmt:AT_SetStatistics|AlterTableStmt:AT_SetStorage|AlterTableStmt:AT_EnableTrig|AlterTableStmt:AT_DisableTrig|AlterTableStmt:AT_EnableRowSecurity|AlterTableStmt:AT_DisableRowSecurity|AlterTableStmt:AT_ForceRowSecurity|AlterTableStmt:AT_ChangeOwner|AlterTableStmt:AT_ClusterOn|AlterTableStmt:AT_SetRelOptions|AlterTableStmt:AT_ValidateConstraint|AlterTableStmt:AT_ReplicaIdentity|AlterTableStmt:AT_AddIdentity|AlterTableStmt:AT_SetIdentity|AlterTableStmt:AT_DropIdentity|AlterTableStmt:AT_AlterConstraint|DropStmt|RenameStmt|AlterObjectSchemaStmt|AlterDomainStmt|AlterFunctionStmt|CreateStatsStmt|AlterStatsStmt|DropOwnedStmt|ReassignOwnedStmt|SecLabelStmt|AlterDefaultPrivilegesStmt|AlterTSConfigurationStmt|DefineStmt)$/;

/** `table.select()`, `sa.select(...)`: an expression that reads rows and changes nothing. */
function isReadOnlyExpression(source: string): boolean {
  return /\bselect\s*\(/.test(source) && !/\b(insert|update|delete|values|Create\w*|Drop\w*|Alter\w*|AddConstraint)\s*\(/.test(source);
}

/** Effects that change rows, not the schema. */
const DATA_EFFECTS = new Set(['truncate', 'delete', 'update', 'insert']);

/** Replays one phase of a migration onto `state` (already derived: it is changed in place). */
export function replayPhase(migration: MigrationFile, phase: Phase, state: SchemaState, revision: string, convention?: NamingConvention): PhaseReplay {
  const replay: PhaseReplay = { phase, unknownDrops: [], opaqueTables: new Set(), opaque: false, cascades: [], dropped: [], renamed: [], renamedColumns: [], missing: [] };
  // A SQLAlchemy expression may change anything, except a query that only reads.
  if (migration.executedExpressions.some((e) => e.phase === phase && !isReadOnlyExpression(e.source))) replay.opaque = true;
  const events: ({ op: OpCall } | { sql: SqlString })[] = [];
  for (const op of migration.ops) if (op.phase === phase && op.name !== 'execute') events.push({ op });
  for (const sql of migration.sql) if (sql.phase === phase) events.push({ sql });
  // In the order they run: a helper's calls where upgrade() calls the helper.
  events.sort((a, b) => runsAt('op' in a ? a.op : a.sql) - runsAt('op' in b ? b.op : b.sql));
  const context = { state, replay, revision, convention };
  const noteReferences = (table: TableState | undefined) => {
    for (const object of table?.objects ?? []) {
      if (object.referredTable) state.referredTables.add(object.referredTable);
      if (object.name) state.noteObjectName(object.name.toLowerCase(), table!.key);
      for (const name of object.defaultNames) state.noteObjectName(name, table!.key);
    }
  };
  for (const event of events) {
    // After each event, the tables its foreign keys refer to: later drops look for them.
    if ('op' in event) {
      applyOperation(event.op, context);
      if (convention && event.op.table) nameByConvention(event.op, state, convention);
      if (event.op.table) noteReferences(state.table(event.op.table, event.op.schema));
    } else {
      applySql(event.sql, context);
      for (const key of state.changedKeys) noteReferences(state.tableByKey(key));
    }
  }
  return replay;
}

/**
 * The names the project's MetaData naming convention gives what `op` just created: Alembic builds
 * its constraints with the target metadata's convention, so `create_check_constraint("positive",
 * "orders", …)` under `ck_%(table_name)s_%(constraint_name)s` is `ck_orders_positive` in the
 * database, and an unnamed unique constraint gets the `uq` template filled in. A name written
 * with `op.f()` is final.
 */
function nameByConvention(op: OpCall, state: SchemaState, convention: NamingConvention): void {
  const current = state.table(op.table!, op.schema);
  const made = current?.objects.filter((o) => o.createdBy?.span === op.callSpan);
  if (!current || !made?.length) return;
  const final = (name: string) => new RegExp(`\\bf\\(\\s*['"]${escapeRegExp(name)}['"]`).test(op.source);
  const renamed = new Map<TableObject, TableObject>();
  for (const object of made) {
    if (object.name && final(object.name)) continue;
    const name = conventionName(convention, object, current.name);
    if (!name) continue;
    renamed.set(object, object.name ? { ...object, name } : { ...object, defaultNames: [name.toLowerCase(), ...object.defaultNames] });
  }
  if (!renamed.size) return;
  const table = state.writable(current.name, current.schema)!;
  table.objects = table.objects.map((o) => renamed.get(o) ?? o);
}

interface ReplayContext {
  state: SchemaState;
  replay: PhaseReplay;
  revision: string;
  convention?: NamingConvention;
}

/**
 * The name `drop_constraint(name, …, type_=…)` drops: Alembic builds the constraint it drops with
 * the target metadata too, so a template with `%(constraint_name)s` turns the name written into
 * the same name it turned the create's into. A name written with `op.f()` is final.
 */
function conventionalDropName(op: OpCall, name: string, context: ReplayContext): string {
  const [kind] = CONSTRAINT_TYPES[literal(op, 'type_') ?? ''] ?? [];
  if (!context.convention || !kind || /^\s*op\s*\.\s*f\s*\(/.test(op.arguments.get('constraint_name')?.text ?? '')) return name;
  return conventionName(context.convention, { family: 'constraint', kind, name, columns: [], referredTable: undefined }, op.table ?? '') ?? name;
}

const literal = (op: OpCall, key: string): string | undefined => {
  const value = op.arguments.get(key)?.value;
  return typeof value === 'string' ? value : undefined;
};

const stringList = (op: OpCall, key: string): string[] | undefined => {
  const value = op.arguments.get(key)?.value;
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return undefined;
  return value as string[];
};

function sourceOf(op: OpCall, revision: string): ChangeSource {
  return { phase: op.phase, span: op.callSpan, revision };
}

function sqlSourceOf(sql: SqlString, revision: string): ChangeSource {
  return { phase: sql.phase, span: sql.callSpan, revision };
}

/** An operation whose table or object name is not a literal: what it changes cannot be known. */
function markUnreadable(op: OpCall, context: ReplayContext): void {
  if (op.table) context.replay.opaqueTables.add(op.schema ? `${op.schema}.${op.table}` : op.table);
  else context.replay.opaque = true;
}

function newColumn(name: string, type: string | undefined, nullable: boolean | undefined, primaryKey: boolean, source: ChangeSource | undefined): ColumnState {
  return { name, type, nullable, primaryKey, createdBy: source, typeChangedBy: source, nullableChangedBy: source };
}

function newObject(
  family: TableObject['family'],
  kind: TableObject['kind'],
  table: string,
  name: string | undefined,
  columns: string[],
  source: ChangeSource | undefined,
  extra: Partial<TableObject> = {},
  foreignKeyOrdinal?: number,
): TableObject {
  const constraintKind = kind === 'index' ? 'index' : kind;
  return {
    family,
    kind,
    // The name the database keeps: PostgreSQL cuts identifiers at 63 bytes (its parser does the same to SQL).
    name: name?.slice(0, 63),
    // A named object has only its name; the defaults are what the database picks when none is given.
    defaultNames: name ? [] : defaultNames(constraintKind as ConstraintKind | 'index', table, columns, extra.referredTable, foreignKeyOrdinal),
    columns,
    expressions: false,
    unique: kind === 'unique' || kind === 'primary_key',
    referredTable: undefined,
    referredColumns: [],
    createdBy: source,
    ...extra,
  };
}

const optionIsTrue = (options: Map<string, string>, key: string) => options.get(key) === 'True';

/** The objects a column definition brings along: `primary_key`, `unique`, `index`, its ForeignKeys. */
function columnObjects(table: string, column: { name: string; options: Map<string, string>; foreignKeys: { name: string | undefined; referredTable: string | undefined; referredColumns: string[]; useAlter: boolean }[] }, source: ChangeSource): TableObject[] {
  const objects: TableObject[] = [];
  if (optionIsTrue(column.options, 'unique')) objects.push(newObject('constraint', 'unique', table, undefined, [column.name], source));
  if (optionIsTrue(column.options, 'index')) objects.push(newObject('index', 'index', table, undefined, [column.name], source, { unique: optionIsTrue(column.options, 'unique') }));
  for (const fk of column.foreignKeys) {
    // op.create_table / add_column never emit a use_alter foreign key.
    if (fk.useAlter) continue;
    objects.push(newObject('constraint', 'foreign_key', table, fk.name, [column.name], source, { referredTable: fk.referredTable, referredColumns: fk.referredColumns }));
  }
  return objects;
}

function createTableFromElements(op: OpCall, table: string, elements: TableElement[], source: ChangeSource): TableState {
  const columns = new Map<string, ColumnState>();
  const objects: TableObject[] = [];
  const primaryKey: string[] = [];
  let primaryKeyName: string | undefined;
  for (const element of elements) {
    switch (element.kind) {
      case 'column': {
        const { column } = element;
        const isPrimary = optionIsTrue(column.options, 'primary_key');
        if (isPrimary) primaryKey.push(column.name);
        const nullable = column.options.get('nullable');
        columns.set(column.name, newColumn(column.name, column.typeSource, isPrimary ? false : nullable === 'False' ? false : nullable === 'True' ? true : true, isPrimary, source));
        objects.push(...columnObjects(table, column, source));
        break;
      }
      case 'primary_key':
        primaryKey.splice(0, primaryKey.length, ...element.columns);
        primaryKeyName = element.name;
        for (const name of element.columns) {
          const column = columns.get(name);
          if (column) columns.set(name, { ...column, primaryKey: true, nullable: false });
        }
        break;
      case 'unique':
        objects.push(newObject('constraint', element.kind, table, element.name, element.columns, source));
        break;
      case 'check':
        objects.push(newObject('constraint', 'check', table, element.name, columnsNamedIn(element.condition, [...columns.keys()]), source));
        break;
      case 'foreign_key':
        if (!element.foreignKey.useAlter) {
          const fk = element.foreignKey;
          objects.push(newObject('constraint', 'foreign_key', table, fk.name, fk.columns, source, { referredTable: fk.referredTable, referredColumns: fk.referredColumns }));
        }
        break;
      case 'index':
        objects.push(newObject('index', 'index', table, element.name, element.columns, source, { unique: element.unique }));
        break;
    }
  }
  if (primaryKey.length) objects.unshift(newObject('constraint', 'primary_key', table, primaryKeyName, primaryKey, source));
  numberForeignKeys(table, objects);
  return { key: op.schema ? `${op.schema}.${table}` : table, schema: op.schema, name: table, complete: true, temporary: false, columns, objects, createdBy: source };
}

/** Records an operation on a table or column that is not there (see PhaseReplay.missing). */
function checkExists(op: OpCall, source: ChangeSource, context: ReplayContext, column?: string): void {
  if (op.guard || !op.table || op.arguments.get('if_exists')?.text === 'True') return;
  const table = context.state.table(op.table, op.schema);
  if (!table) {
    // A table no migration created may be another tool's; one the chain dropped or renamed away is known to be gone.
    if (context.state.wasRemoved(op.table, op.schema)) context.replay.missing.push({ source, what: `table "${op.table}"` });
  } else if (column !== undefined && table.complete && !table.columns.has(column)) {
    context.replay.missing.push({ source, what: `column "${op.table}.${column}"` });
  }
}

/** Gives unnamed foreign keys MySQL's `<table>_ibfk_<n>` names, n counting the table's foreign keys in creation order. */
function numberForeignKeys(table: string, objects: TableObject[]): void {
  let ordinal = 0;
  for (let i = 0; i < objects.length; i++) {
    const object = objects[i];
    if (object.kind !== 'foreign_key') continue;
    ordinal++;
    if (!object.name) objects[i] = { ...object, defaultNames: [...object.defaultNames, `${table}_ibfk_${ordinal}`.toLowerCase()] };
  }
}

/** InnoDB names a new unnamed foreign key `<table>_ibfk_<n>` with n one above the highest such number on the table. */
function nextForeignKeyOrdinal(table: TableState): number {
  const pattern = new RegExp(`^${escapeRegExp(table.name.toLowerCase())}_ibfk_(\\d+)$`);
  let highest = 0;
  for (const object of table.objects) {
    for (const name of [object.name?.toLowerCase(), ...object.defaultNames]) {
      const match = name ? pattern.exec(name) : null;
      if (match) highest = Math.max(highest, Number(match[1]));
    }
  }
  return highest + 1;
}

function applyOperation(op: OpCall, context: ReplayContext): void {
  const { state, replay } = context;
  const source = sourceOf(op, context.revision);
  const schema = op.schema;
  if (CHECKED_OPERATIONS.has(op.name)) {
    const column = op.name === 'drop_column' || op.name === 'alter_column' ? literal(op, 'column_name') : undefined;
    checkExists(op, source, context, column);
  }
  switch (op.name) {
    case 'create_table': {
      if (!op.table) return markUnreadable(op, context);
      state.put(createTableFromElements(op, op.table, op.elements, source));
      return;
    }
    case 'drop_table': {
      if (!op.table) return markUnreadable(op, context);
      dropTable(op.table, schema, source, context);
      return;
    }
    case 'rename_table': {
      const newName = literal(op, 'new_table_name');
      if (!op.table || !newName) return markUnreadable(op, context);
      renameTable(op.table, newName, schema, source, context);
      return;
    }
    case 'add_column': {
      if (!op.table || !op.column) return markUnreadable(op, context);
      const table = state.touched(op.table, schema);
      const column = op.column;
      const nullable = column.options.get('nullable');
      const isPrimary = optionIsTrue(column.options, 'primary_key');
      table.columns.set(column.name, newColumn(column.name, column.typeSource, isPrimary ? false : nullable !== 'False', isPrimary, source));
      table.objects.push(...columnObjects(op.table, column, source));
      return;
    }
    case 'drop_column': {
      const name = literal(op, 'column_name');
      if (!op.table || !name) return markUnreadable(op, context);
      dropColumn(op.table, schema, name, source, context);
      return;
    }
    case 'alter_column': {
      const name = literal(op, 'column_name');
      if (!op.table || !name) return markUnreadable(op, context);
      const table = state.touched(op.table, schema);
      let column = table.columns.get(name);
      if (!column) {
        // A column the state does not know existed before what the migrations show.
        const existingType = op.arguments.get('existing_type')?.text;
        const existingNullable = op.arguments.get('existing_nullable')?.value;
        column = newColumn(name, existingType, typeof existingNullable === 'boolean' ? existingNullable : undefined, false, undefined);
      }
      const typeArgument = op.arguments.get('type_');
      if (typeArgument) column = { ...column, type: typeArgument.text, typeChangedBy: source };
      const nullable = op.arguments.get('nullable')?.value;
      if (typeof nullable === 'boolean') column = { ...column, nullable, nullableChangedBy: source };
      const newName = literal(op, 'new_column_name');
      table.columns.delete(name);
      if (newName) {
        replay.renamedColumns.push({ table: table.key, from: name, to: newName, source });
        column = { ...column, name: newName };
        table.objects = table.objects.map((o) => (o.columns.includes(name) ? { ...o, columns: o.columns.map((c) => (c === name ? newName : c)) } : o));
      }
      table.columns.set(column.name, column);
      return;
    }
    case 'create_index': {
      const name = literal(op, 'index_name');
      if (!op.table) return markUnreadable(op, context);
      const columnsValue = op.arguments.get('columns')?.value;
      const literalColumns = Array.isArray(columnsValue) ? columnsValue.filter((c): c is string => typeof c === 'string') : typeof columnsValue === 'string' ? [columnsValue] : [];
      const expressions = !Array.isArray(columnsValue) ? typeof columnsValue !== 'string' : literalColumns.length !== columnsValue.length;
      // An expression index (`sa.text("lower(email)")`) covers the columns its expressions name.
      const columns = expressions ? columnsInExpressions(op.arguments.get('columns')?.text ?? '') : literalColumns;
      const partial = [...op.arguments.keys()].some((k) => k.endsWith('_where'));
      const table = state.touched(op.table, schema);
      table.objects.push(newObject('index', 'index', op.table, name, columns, source, { unique: op.arguments.get('unique')?.text === 'True', expressions: expressions || partial }));
      return;
    }
    case 'drop_index': {
      const name = literal(op, 'index_name');
      if (!name) return markUnreadable(op, context);
      dropNamed('index', name, op.table, schema, undefined, source, context);
      return;
    }
    case 'create_unique_constraint':
    case 'create_primary_key':
    case 'create_check_constraint':
    case 'create_foreign_key':
    case 'create_exclude_constraint': {
      if (!op.table) return markUnreadable(op, context);
      const kind: ConstraintKind =
        op.name === 'create_unique_constraint' ? 'unique' : op.name === 'create_primary_key' ? 'primary_key' : op.name === 'create_check_constraint' ? 'check' : op.name === 'create_foreign_key' ? 'foreign_key' : 'exclude';
      // A check names its columns inside its condition: those of the table it mentions.
      const columns =
        kind === 'check'
          ? columnsNamedIn(op.arguments.get('condition')?.text, [...(state.table(op.table, schema)?.columns.keys() ?? [])])
          : (stringList(op, kind === 'foreign_key' ? 'local_cols' : 'columns') ?? []);
      const referred = kind === 'foreign_key' ? literal(op, 'referent_table') : undefined;
      const table = state.touched(op.table, schema);
      const ordinal = kind === 'foreign_key' ? nextForeignKeyOrdinal(table) : undefined;
      table.objects.push(newObject('constraint', kind, op.table, literal(op, 'constraint_name'), columns, source, { referredTable: referred, referredColumns: stringList(op, 'remote_cols') ?? [] }, ordinal));
      if (kind === 'primary_key') for (const c of columns) { const column = table.columns.get(c); if (column) table.columns.set(c, { ...column, primaryKey: true }); }
      return;
    }
    case 'drop_constraint': {
      const name = literal(op, 'constraint_name');
      // drop_constraint(None, …) cannot run (AG303 says so). What it means to drop is the unnamed
      // constraint of its kind on the table, when there is one: the schema follows the intent, so
      // the round trip does not report the same mistake a second time.
      if (op.arguments.get('constraint_name')?.value === null) {
        const kinds = CONSTRAINT_TYPES[literal(op, 'type_') ?? ''];
        const table = op.table ? state.table(op.table, schema) : undefined;
        const unnamed = table?.objects.filter((o) => o.family === 'constraint' && !o.name && (!kinds || kinds.includes(o.kind as ConstraintKind))) ?? [];
        if (unnamed.length === 1) {
          const writable = state.writable(table!.name, table!.schema)!;
          writable.objects = writable.objects.filter((o) => o !== unnamed[0]);
          replay.dropped.push({ table: writable, object: unnamed[0], source });
        }
        return;
      }
      if (!name) return markUnreadable(op, context);
      dropNamed('constraint', conventionalDropName(op, name, context), op.table, schema, literal(op, 'type_'), source, context);
      return;
    }
    default:
      return;
  }
}

/** Operations that fail when their table (or column) is not there. */
const CHECKED_OPERATIONS = new Set(['drop_table', 'rename_table', 'add_column', 'drop_column', 'alter_column', 'create_index', 'create_unique_constraint', 'create_foreign_key', 'create_primary_key', 'create_check_constraint']);

function dropTable(name: string, schema: string | undefined, source: ChangeSource, context: ReplayContext, cascade = false): void {
  const { state, replay } = context;
  const table = state.remove(name, schema);
  if (!table) {
    replay.unknownDrops.push({ family: 'table', table: name, schema, name, kind: undefined, source });
    return;
  }
  replay.dropped.push({ table, source });
  if (cascade) {
    const dependents = removeReferences(state, name, (o) => o.referredTable === name);
    if (dependents.length) replay.cascades.push({ source, what: `table "${name}"`, dependents });
  }
}

function renameTable(from: string, to: string, schema: string | undefined, source: ChangeSource, context: ReplayContext): void {
  const { state } = context;
  const known = state.remove(from, schema);
  // Renaming a table no migration created: it existed before what the migrations show.
  if (!known) state.closedWorld = false;
  const table = known ?? { key: from, schema, name: from, complete: false, temporary: false, columns: new Map(), objects: [], createdBy: undefined };
  context.replay.renamed.push({ from: table.key, to: schema ? `${schema}.${to}` : to, source });
  // Indexes and constraints keep their names (PostgreSQL does not rename them with the table).
  state.put({ ...table, key: schema ? `${schema}.${to}` : to, name: to, columns: new Map(table.columns), objects: [...table.objects] });
  for (const [, other] of state.referredTables.has(from) ? state.tables : new Map<string, TableState>()) {
    if (!other.objects.some((o) => o.referredTable === from)) continue;
    const writable = state.writable(other.name, other.schema)!;
    writable.objects = writable.objects.map((o) => (o.referredTable === from ? { ...o, referredTable: to } : o));
  }
}

function dropColumn(tableName: string, schema: string | undefined, name: string, source: ChangeSource, context: ReplayContext): void {
  const { state, replay } = context;
  const table = state.touched(tableName, schema);
  const column = table.columns.get(name);
  if (!column) {
    if (!table.complete) replay.unknownDrops.push({ family: 'column', table: tableName, schema, name, kind: undefined, source });
  } else {
    table.columns.delete(name);
    replay.dropped.push({ table, column, source });
  }
  // Every index and constraint that uses the column goes with it, and the foreign keys that reference it.
  const kept: TableObject[] = [];
  for (const object of table.objects) {
    if (object.columns.includes(name)) replay.dropped.push({ table, object, source });
    else kept.push(object);
  }
  table.objects = kept;
  removeReferences(state, tableName, (o) => o.referredTable === tableName && o.referredColumns.includes(name));
}

/** Removes foreign keys (anywhere) that match; returns their descriptions. */
function removeReferences(state: SchemaState, referred: string, matches: (o: TableObject) => boolean): string[] {
  const removed: string[] = [];
  if (!state.referredTables.has(referred)) return removed;
  for (const [, other] of state.tables) {
    if (!other.objects.some((o) => o.kind === 'foreign_key' && matches(o))) continue;
    const writable = state.writable(other.name, other.schema)!;
    writable.objects = writable.objects.filter((o) => {
      const goes = o.kind === 'foreign_key' && matches(o);
      if (goes) removed.push(`the foreign key ${o.name ? `"${o.name}" ` : ''}of "${other.name}" (${o.columns.join(', ')})`);
      return !goes;
    });
  }
  return removed;
}

const CONSTRAINT_TYPES: Record<string, ConstraintKind[]> = {
  foreignkey: ['foreign_key'],
  unique: ['unique'],
  primary: ['primary_key'],
  check: ['check'],
};

/**
 * Drops an index or constraint by name: the object of that name, else one created without a
 * name whose default name it is; else, on a table whose objects are not all known by name, every
 * unnamed object of that kind (the drop names something the state could not name); else the
 * name was never known.
 */
function dropNamed(
  family: 'index' | 'constraint',
  name: string,
  tableName: string | undefined,
  schema: string | undefined,
  type: string | undefined,
  source: ChangeSource,
  context: ReplayContext,
  cascade = false,
): void {
  const { state, replay } = context;
  const lower = name.toLowerCase();
  const kinds = family === 'index' ? undefined : type ? CONSTRAINT_TYPES[type] : undefined;
  // A unique constraint is an index in MySQL and can be dropped as either.
  const fits = (o: TableObject) => (o.family === family || (o.kind === 'unique' && !kinds)) && (!kinds || kinds.includes(o.kind as ConstraintKind));
  const candidates: TableState[] = [];
  if (tableName) {
    const table = state.table(tableName, schema);
    if (table) candidates.push(table);
  } else {
    candidates.push(...state.tablesWithObjectNamed(lower));
  }
  for (const candidate of candidates) {
    // PostgreSQL cuts identifiers at 63 bytes when an object is made and when it is named: a long name and its cut form are one.
    const named = candidate.objects.filter((o) => fits(o) && !!o.name && o.name.toLowerCase().slice(0, 63) === lower.slice(0, 63));
    const byDefault = named.length ? named : candidate.objects.filter((o) => fits(o) && !o.name && o.defaultNames.includes(lower));
    // A name built from the table and columns (`orders_user_id_fkey`, `ix_orders_user_id`) says which object it is: when that one
    // is not there, the drop does not stand for any other unnamed object.
    // Otherwise the drop may name the one unnamed object of its family the state could not name; with several, it is unknown which.
    const sameFamily = candidate.objects.filter((o) => o.family === family && (!kinds || kinds.includes(o.kind as ConstraintKind)) && !o.name);
    const unnamed = byDefault.length || encodesColumns(lower, candidate) || sameFamily.length !== 1 ? byDefault : sameFamily;
    const removed = named.length ? named : byDefault.length ? byDefault : unnamed;
    if (!removed.length) continue;
    const table = state.writable(candidate.name, candidate.schema)!;
    table.objects = table.objects.filter((o) => !removed.includes(o));
    for (const object of removed) replay.dropped.push({ table, object, source });
    if (cascade) {
      const keys = removed.filter((o) => o.unique).flatMap((o) => o.columns);
      const dependents = removeReferences(state, table.name, (o) => o.referredTable === table.name && o.referredColumns.some((c) => keys.includes(c)));
      if (dependents.length) replay.cascades.push({ source, what: `${family} "${name}"`, dependents });
    }
    return;
  }
  if (tableName && !state.table(tableName, schema)) state.touched(tableName, schema);
  replay.unknownDrops.push({ family, table: tableName, schema, name, kind: type, source });
}

/** Whether a constraint or index name is one of the default patterns built from this table's name and one of its columns. */
function encodesColumns(name: string, table: TableState): boolean {
  const tableName = table.name.toLowerCase();
  if (!name.includes(tableName)) return false;
  return [...table.columns.keys(), ...table.objects.flatMap((o) => o.columns)].some((column) => name.includes(`_${column.toLowerCase()}`));
}

function sqlColumnState(column: SqlColumn, source: ChangeSource): ColumnState {
  return newColumn(column.name, column.type, !column.notNull, column.primaryKey, source);
}

function sqlConstraintObject(table: string, constraint: SqlConstraint, source: ChangeSource): TableObject {
  return newObject('constraint', constraint.kind, table, constraint.name, constraint.columns, source, {
    referredTable: constraint.referredTable,
    referredColumns: constraint.referredColumns,
  });
}

function applySql(sql: SqlString, context: ReplayContext): void {
  const effects = effectsOf(sql);
  const source = sqlSourceOf(sql, context.revision);
  if (!wasParsed(sql) && effects.some((e) => e.kind === 'other')) context.replay.opaque = true;
  for (const effect of effects) applySqlEffect(effect, source, context);
}

function applySqlEffect(effect: SqlEffect, source: ChangeSource, context: ReplayContext): void {
  const { state, replay } = context;
  switch (effect.kind) {
    case 'create_table': {
      const columns = new Map((effect.columns ?? []).map((c) => [c.name, sqlColumnState(c, source)]));
      const objects = (effect.constraints ?? []).map((c) => sqlConstraintObject(effect.table, c, source));
      state.put({
        key: effect.schema ? `${effect.schema}.${effect.table}` : effect.table,
        schema: effect.schema,
        name: effect.table,
        complete: !effect.asQuery && effect.columns !== undefined,
        temporary: !!effect.temporary,
        columns,
        objects,
        createdBy: source,
      });
      return;
    }
    case 'drop_table':
      for (const table of effect.tables) {
        if (effect.ifExists && !state.table(table)) continue;
        dropTable(table, undefined, source, context, effect.cascade);
      }
      return;
    case 'rename_table':
      renameTable(effect.table, effect.newName, undefined, source, context);
      return;
    case 'drop_column':
      for (const column of effect.columns) dropColumn(effect.table, undefined, column, source, context);
      return;
    case 'add_column': {
      const table = state.touched(effect.table);
      table.columns.set(effect.column.name, sqlColumnState(effect.column, source));
      if (effect.column.unique) table.objects.push(newObject('constraint', 'unique', effect.table, undefined, [effect.column.name], source));
      if (effect.column.references) table.objects.push(newObject('constraint', 'foreign_key', effect.table, undefined, [effect.column.name], source, { referredTable: effect.column.references.table, referredColumns: effect.column.references.columns }));
      return;
    }
    case 'alter_column_type':
    case 'set_not_null':
    case 'drop_not_null': {
      const table = state.touched(effect.table);
      const column = table.columns.get(effect.column) ?? newColumn(effect.column, undefined, undefined, false, undefined);
      if (effect.kind === 'alter_column_type') table.columns.set(effect.column, { ...column, type: effect.type, typeChangedBy: source });
      else table.columns.set(effect.column, { ...column, nullable: effect.kind === 'drop_not_null', nullableChangedBy: source });
      return;
    }
    case 'rename_column': {
      const table = state.touched(effect.table);
      const column = table.columns.get(effect.column) ?? newColumn(effect.column, undefined, undefined, false, undefined);
      table.columns.delete(effect.column);
      table.columns.set(effect.newName, { ...column, name: effect.newName });
      replay.renamedColumns.push({ table: table.key, from: effect.column, to: effect.newName, source });
      table.objects = table.objects.map((o) => (o.columns.includes(effect.column) ? { ...o, columns: o.columns.map((c) => (c === effect.column ? effect.newName : c)) } : o));
      return;
    }
    case 'rename_index': {
      for (const candidate of state.tablesWithObjectNamed(effect.name.toLowerCase())) {
        const found = candidate.objects.find((o) => o.name?.toLowerCase() === effect.name.toLowerCase() || (!o.name && o.defaultNames.includes(effect.name.toLowerCase())));
        if (!found) continue;
        const table = state.writable(candidate.name, candidate.schema)!;
        table.objects = table.objects.map((o) => (o === found ? { ...o, name: effect.newName } : o));
        return;
      }
      replay.unknownDrops.push({ family: 'index', table: undefined, schema: undefined, name: effect.name, kind: undefined, source });
      return;
    }
    case 'add_constraint': {
      const table = state.touched(effect.table);
      table.objects.push(sqlConstraintObject(effect.table, effect.constraint, source));
      return;
    }
    case 'drop_constraint':
      for (const name of effect.names) dropNamed('constraint', name, effect.table, undefined, undefined, source, context, effect.cascade);
      return;
    case 'drop_index':
      for (const name of effect.names) dropNamed('index', name, undefined, undefined, undefined, source, context, effect.cascade);
      return;
    case 'create_index': {
      const table = state.touched(effect.table);
      table.objects.push(newObject('index', 'index', effect.table, effect.name, effect.columns ?? [], source, { unique: !!effect.unique, expressions: !!effect.expressions }));
      return;
    }
    case 'alter_type_add_value':
      return;
    case 'drop_other':
      replay.cascades.push({ source, what: `${effect.objectType} ${effect.names.map((n) => `"${n}"`).join(', ')}`, dependents: [] });
      replay.opaque = true;
      return;
    case 'other':
      if (!NEUTRAL_SQL.test(effect.statement)) replay.opaque = true;
      return;
    default:
      if (!DATA_EFFECTS.has(effect.kind)) replay.opaque = true;
  }
}

/** The table's columns a check condition mentions (`"price > 0 AND currency IS NOT NULL"`), as whole words. */
function columnsNamedIn(condition: string | undefined, tableColumns: string[]): string[] {
  if (!condition) return [];
  return tableColumns.filter((column) => new RegExp(`(?<![\\w.])"?${escapeRegExp(column)}"?(?!\\w)`, 'i').test(condition));
}

/** Column names inside the SQL strings of an index's expressions: identifiers not called as functions. */
function columnsInExpressions(source: string): string[] {
  const names: string[] = [];
  for (const literal of source.matchAll(/(["'])(.*?)\1/g)) {
    for (const word of literal[2].matchAll(/\b([A-Za-z_]\w*)\b(?!\s*\()/g)) {
      if (!/^(asc|desc|nulls|first|last|collate|and|or|not|is|null|true|false)$/i.test(word[1]) && !names.includes(word[1])) names.push(word[1]);
    }
  }
  return names;
}
