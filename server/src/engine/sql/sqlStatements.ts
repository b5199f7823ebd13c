import { loadModule, parseSync } from 'libpg-query';

/** A column as `CREATE TABLE` or `ADD COLUMN` declares it. */
export interface SqlColumn {
  name: string;
  /** The type as PostgreSQL names it, with its modifiers: `varchar(20)`, `int4`, `text`. */
  type: string;
  notNull: boolean;
  primaryKey: boolean;
  unique: boolean;
  /** The DEFAULT expression's function names (volatile ones rewrite the table). */
  defaultFunctions: string[] | undefined;
  references: { table: string; columns: string[] } | undefined;
}

/** A table constraint as `CREATE TABLE` or `ADD CONSTRAINT` declares it. */
export interface SqlConstraint {
  kind: 'primary_key' | 'unique' | 'foreign_key' | 'check' | 'exclude';
  name: string | undefined;
  columns: string[];
  referredTable: string | undefined;
  referredColumns: string[];
  /** `NOT VALID`: existing rows are not checked now. */
  notValid: boolean;
}

/** What one SQL statement does to the schema or the data, as far as the rules care. */
export type SqlEffect =
  | { kind: 'drop_table'; tables: string[]; cascade?: boolean; ifExists?: boolean }
  | { kind: 'drop_column'; table: string; columns: string[]; cascade?: boolean }
  | { kind: 'drop_index'; names: string[]; cascade?: boolean }
  | { kind: 'drop_constraint'; table: string; names: string[]; cascade?: boolean }
  | { kind: 'add_column'; table: string; column: SqlColumn }
  | { kind: 'alter_column_type'; table: string; column: string; type: string }
  | { kind: 'set_not_null' | 'drop_not_null'; table: string; column: string }
  | { kind: 'rename_column'; table: string; column: string; newName: string }
  | { kind: 'rename_index'; name: string; newName: string }
  | { kind: 'add_constraint'; table: string; constraint: SqlConstraint }
  | { kind: 'drop_other'; objectType: string; names: string[]; cascade: boolean }
  | { kind: 'truncate'; tables: string[] }
  | { kind: 'delete'; table: string; hasWhere: boolean }
  | { kind: 'update'; table: string; hasWhere: boolean; columns?: string[] }
  | { kind: 'insert'; table: string; constantRows?: number }
  | { kind: 'create_table'; table: string; schema?: string; temporary?: boolean; ifNotExists?: boolean; asQuery?: boolean; columns?: SqlColumn[]; constraints?: SqlConstraint[] }
  | { kind: 'rename_table'; table: string; newName: string }
  | { kind: 'alter_type_add_value'; typeName: string; value?: string }
  | { kind: 'create_index'; table: string; name: string | undefined; concurrently: boolean; columns?: string[]; unique?: boolean; expressions?: boolean }
  | { kind: 'other'; statement: string };

export interface SqlReading {
  effects: SqlEffect[];
  /** False when PostgreSQL's parser rejected the text and keywords were read instead. */
  parsed: boolean;
}

let loading: Promise<void> | undefined;

/** Loads PostgreSQL's parser (libpg-query, wasm) once per process. */
export function loadSqlParser(): Promise<void> {
  loading ??= loadModule();
  return loading;
}

type AstNode = Record<string, any>;

/** Rules ask about the same strings again and again: remember recent readings. */
const readings = new Map<string, SqlReading>();
const MAX_READINGS = 20000;

export function readSql(sql: string): SqlReading {
  let reading = readings.get(sql);
  if (!reading) {
    if (readings.size >= MAX_READINGS) readings.clear();
    reading = parseSql(sql);
    readings.set(sql, reading);
  }
  return reading;
}

function parseSql(sql: string): SqlReading {
  let statements: AstNode[];
  try {
    statements = (parseSync(sql).stmts ?? []).map((s: AstNode) => s.stmt);
  } catch {
    try {
      // Bound parameters as the driver takes them (`:name` in text(), `%(name)s`, `%s`) are PostgreSQL's `$1`.
      statements = (parseSync(withPositionalParameters(sql)).stmts ?? []).map((s: AstNode) => s.stmt);
    } catch {
      return { effects: readSqlKeywords(sql), parsed: false };
    }
  }
  return { effects: statements.flatMap(effectsOf), parsed: true };
}

/** `:name` (not a `::type` cast), `%(name)s` and `%s` written as `$1`, which PostgreSQL's parser reads as a parameter. */
function withPositionalParameters(sql: string): string {
  return sql.replace(/(?<![:\w]):[A-Za-z_]\w*/g, '$$1').replace(/%\(\w+\)s|%s\b/g, '$$1');
}

function qualifiedName(relation: AstNode | undefined): string {
  if (!relation) return '';
  return relation.relname ?? '';
}

function nameList(items: AstNode[] | undefined): string {
  const parts = (items ?? []).map((i) => i.String?.sval).filter(Boolean);
  return parts[parts.length - 1] ?? '';
}

function strings(items: AstNode[] | undefined): string[] {
  return (items ?? []).map((i) => i.String?.sval).filter((v): v is string => typeof v === 'string');
}

/** `varchar(20)`, `int4`, `numeric(10,2)`, `my_enum`: PostgreSQL's own name, modifiers kept. */
function typeText(typeName: AstNode | undefined): string {
  if (!typeName) return '';
  const names = strings(typeName.names).filter((n) => n !== 'pg_catalog');
  // An integer constant of 0 is printed by the parser as an empty `ival` object.
  const modifiers = (typeName.typmods ?? []).map((m: AstNode) => (m.A_Const?.ival ? String(m.A_Const.ival.ival ?? 0) : ''));
  const base = names.join('.') + (modifiers.length ? `(${modifiers.join(',')})` : '');
  return typeName.arrayBounds ? `${base}[]` : base;
}

/** Every function called in an expression (to tell `now()` from `random()`). */
function functionNames(expression: AstNode | undefined): string[] {
  const found: string[] = [];
  const visit = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const record = node as AstNode;
    if (record.FuncCall) found.push(nameList(record.FuncCall.funcname).toLowerCase());
    if (record.SQLValueFunction) found.push(String(record.SQLValueFunction.op ?? '').toLowerCase());
    for (const key of Object.keys(record)) visit(record[key]);
  };
  visit(expression);
  return found;
}

const CONSTRAINT_KINDS: Record<string, SqlConstraint['kind']> = {
  CONSTR_PRIMARY: 'primary_key',
  CONSTR_UNIQUE: 'unique',
  CONSTR_FOREIGN: 'foreign_key',
  CONSTR_CHECK: 'check',
  CONSTR_EXCLUSION: 'exclude',
};

function columnOf(definition: AstNode): SqlColumn {
  const constraints: AstNode[] = (definition.constraints ?? []).map((c: AstNode) => c.Constraint);
  const has = (type: string) => constraints.some((c) => c.contype === type);
  const foreign = constraints.find((c) => c.contype === 'CONSTR_FOREIGN');
  const defaultValue = constraints.find((c) => c.contype === 'CONSTR_DEFAULT');
  const type = typeText(definition.typeName);
  return {
    name: definition.colname,
    type,
    notNull: has('CONSTR_NOTNULL') || has('CONSTR_PRIMARY'),
    primaryKey: has('CONSTR_PRIMARY'),
    unique: has('CONSTR_UNIQUE'),
    // serial and identity columns take their values from a sequence: volatile.
    defaultFunctions: defaultValue ? functionNames(defaultValue.raw_expr) : /^(small|big)?serial$/.test(type) || has('CONSTR_IDENTITY') ? ['nextval'] : undefined,
    references: foreign ? { table: qualifiedName(foreign.pktable), columns: strings(foreign.pk_attrs) } : undefined,
  };
}

function constraintOf(constraint: AstNode, column?: string): SqlConstraint | undefined {
  const kind = CONSTRAINT_KINDS[constraint.contype];
  if (!kind) return undefined;
  const own = kind === 'foreign_key' ? strings(constraint.fk_attrs) : strings(constraint.keys);
  return {
    kind,
    name: constraint.conname,
    columns: own.length ? own : column ? [column] : kind === 'check' ? columnsMentioned(constraint.raw_expr) : [],
    referredTable: kind === 'foreign_key' ? qualifiedName(constraint.pktable) : undefined,
    referredColumns: kind === 'foreign_key' ? strings(constraint.pk_attrs) : [],
    notValid: !!constraint.skip_validation,
  };
}

/** Columns an expression mentions (a CHECK's columns). */
function columnsMentioned(expression: AstNode | undefined): string[] {
  const found = new Set<string>();
  const visit = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const record = node as AstNode;
    if (record.ColumnRef) {
      const fields = strings(record.ColumnRef.fields);
      if (fields.length) found.add(fields[fields.length - 1]);
    }
    for (const key of Object.keys(record)) visit(record[key]);
  };
  visit(expression);
  return [...found];
}

function effectsOf(statement: AstNode): SqlEffect[] {
  const [kind] = Object.keys(statement);
  const node = statement[kind];
  switch (kind) {
    case 'DropStmt': {
      // objects are lists of name parts; the last part is the object's own name
      const names = (node.objects ?? []).map((o: AstNode) => nameList(o.List?.items));
      const cascade = node.behavior === 'DROP_CASCADE';
      if (node.removeType === 'OBJECT_TABLE') return [{ kind: 'drop_table', tables: names, cascade, ifExists: !!node.missing_ok }];
      if (node.removeType === 'OBJECT_INDEX') return [{ kind: 'drop_index', names, cascade }];
      if (cascade) return [{ kind: 'drop_other', objectType: String(node.removeType ?? '').replace(/^OBJECT_/, '').toLowerCase(), names, cascade }];
      return [{ kind: 'other', statement: kind }];
    }
    case 'TruncateStmt':
      return [{ kind: 'truncate', tables: (node.relations ?? []).map((r: AstNode) => qualifiedName(r.RangeVar)) }];
    case 'DeleteStmt':
      return [{ kind: 'delete', table: qualifiedName(node.relation), hasWhere: !!node.whereClause }];
    case 'UpdateStmt':
      return [{ kind: 'update', table: qualifiedName(node.relation), hasWhere: !!node.whereClause, columns: (node.targetList ?? []).map((t: AstNode) => t.ResTarget?.name).filter((n: unknown): n is string => typeof n === 'string') }];
    case 'InsertStmt': {
      // `VALUES (…), (…)` of constants only: configuration rows written into the migration.
      const lists: AstNode[] = node.selectStmt?.SelectStmt?.valuesLists ?? [];
      const constant = lists.length > 0 && lists.every((l) => (l.List?.items ?? []).every((v: AstNode) => v.A_Const || v.TypeCast?.arg?.A_Const));
      return [{ kind: 'insert', table: qualifiedName(node.relation), constantRows: constant ? lists.length : undefined }];
    }
    case 'CreateStmt': {
      const elements: AstNode[] = node.tableElts ?? [];
      const columns = elements.filter((e) => e.ColumnDef).map((e) => columnOf(e.ColumnDef));
      const constraints: SqlConstraint[] = [];
      for (const element of elements) {
        if (element.Constraint) {
          const constraint = constraintOf(element.Constraint);
          if (constraint) constraints.push(constraint);
        }
        for (const inline of element.ColumnDef?.constraints ?? []) {
          const constraint = constraintOf(inline.Constraint, element.ColumnDef.colname);
          if (constraint) constraints.push(constraint);
        }
      }
      return [
        {
          kind: 'create_table',
          table: qualifiedName(node.relation),
          schema: node.relation?.schemaname,
          temporary: node.relation?.relpersistence === 't',
          ifNotExists: !!node.if_not_exists,
          columns,
          constraints,
        },
      ];
    }
    case 'CreateTableAsStmt':
      if (node.objtype !== 'OBJECT_TABLE') return [{ kind: 'other', statement: kind }];
      return [{ kind: 'create_table', table: qualifiedName(node.into?.rel), schema: node.into?.rel?.schemaname, temporary: node.into?.rel?.relpersistence === 't', asQuery: true, ifNotExists: !!node.if_not_exists }];
    case 'AlterEnumStmt':
      return node.newVal !== undefined ? [{ kind: 'alter_type_add_value', typeName: nameList(node.typeName), value: String(node.newVal) }] : [];
    case 'IndexStmt': {
      const parameters: AstNode[] = (node.indexParams ?? []).map((p: AstNode) => p.IndexElem);
      return [
        {
          kind: 'create_index',
          table: qualifiedName(node.relation),
          name: node.idxname,
          concurrently: !!node.concurrent,
          // An expression (`lower(email)`) covers the columns it names.
          columns: [...new Set(parameters.flatMap((p) => (typeof p.name === 'string' ? [p.name] : columnsMentioned(p.expr))))],
          unique: !!node.unique,
          expressions: parameters.some((p) => !p.name) || !!node.whereClause,
        },
      ];
    }
    case 'RenameStmt':
      if (node.renameType === 'OBJECT_TABLE') {
        return [{ kind: 'rename_table', table: qualifiedName(node.relation), newName: node.newname }];
      }
      if (node.renameType === 'OBJECT_COLUMN') return [{ kind: 'rename_column', table: qualifiedName(node.relation), column: node.subname, newName: node.newname }];
      if (node.renameType === 'OBJECT_INDEX') return [{ kind: 'rename_index', name: qualifiedName(node.relation), newName: node.newname }];
      return [{ kind: 'other', statement: kind }];
    case 'AlterTableStmt': {
      const table = qualifiedName(node.relation);
      const commands: AstNode[] = (node.cmds ?? []).map((c: AstNode) => c.AlterTableCmd);
      const cascade = (c: AstNode) => c.behavior === 'DROP_CASCADE';
      const dropped = commands.filter((c) => c.subtype === 'AT_DropColumn');
      const droppedConstraints = commands.filter((c) => c.subtype === 'AT_DropConstraint');
      const effects: SqlEffect[] = [];
      if (dropped.length) effects.push({ kind: 'drop_column', table, columns: dropped.map((c) => c.name as string), cascade: dropped.some(cascade) });
      if (droppedConstraints.length) effects.push({ kind: 'drop_constraint', table, names: droppedConstraints.map((c) => c.name as string), cascade: droppedConstraints.some(cascade) });
      for (const command of commands) {
        switch (command.subtype) {
          case 'AT_AddColumn':
            if (command.def?.ColumnDef) effects.push({ kind: 'add_column', table, column: columnOf(command.def.ColumnDef) });
            break;
          case 'AT_AlterColumnType':
            effects.push({ kind: 'alter_column_type', table, column: command.name, type: typeText(command.def?.ColumnDef?.typeName) });
            break;
          case 'AT_SetNotNull':
            effects.push({ kind: 'set_not_null', table, column: command.name });
            break;
          case 'AT_DropNotNull':
            effects.push({ kind: 'drop_not_null', table, column: command.name });
            break;
          case 'AT_AddConstraint': {
            const constraint = command.def?.Constraint ? constraintOf(command.def.Constraint) : undefined;
            if (constraint) effects.push({ kind: 'add_constraint', table, constraint });
            break;
          }
          case 'AT_DropColumn':
          case 'AT_DropConstraint':
            break;
          default:
            effects.push({ kind: 'other', statement: `${kind}:${command.subtype}` });
        }
      }
      if (!effects.length) effects.push({ kind: 'other', statement: kind });
      return effects;
    }
    default:
      return [{ kind: 'other', statement: kind }];
  }
}

const IDENTIFIER = String.raw`"?([\w$]+)"?(?:\."?([\w$]+)"?)?`;

/**
 * SQL that PostgreSQL's parser rejects (another dialect, a template): read only the
 * statements whose keywords are unambiguous, and claim nothing about the rest.
 */
function readSqlKeywords(sql: string): SqlEffect[] {
  const effects: SqlEffect[] = [];
  for (const raw of sql.split(';')) {
    const statement = raw.replace(/--[^\n]*/g, ' ').trim();
    let m: RegExpExecArray | null;
    if ((m = new RegExp(String.raw`^DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?${IDENTIFIER}`, 'i').exec(statement))) {
      effects.push({ kind: 'drop_table', tables: [m[2] ?? m[1]] });
    } else if ((m = new RegExp(String.raw`^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?${IDENTIFIER}\s+DROP\s+(?:COLUMN\s+)?(?:IF\s+EXISTS\s+)?"?([\w$]+)`, 'i').exec(statement))) {
      // MySQL's `DROP PRIMARY KEY`, `DROP INDEX i`, `DROP FOREIGN KEY fk`, `DROP KEY k`, `DROP CHECK c` drop no column.
      if (!/^(CONSTRAINT|PRIMARY|INDEX|KEY|FOREIGN|CHECK|UNIQUE)$/i.test(m[3])) effects.push({ kind: 'drop_column', table: m[2] ?? m[1], columns: [m[3]] });
    } else if ((m = new RegExp(String.raw`^TRUNCATE\s+(?:TABLE\s+)?${IDENTIFIER}`, 'i').exec(statement))) {
      effects.push({ kind: 'truncate', tables: [m[2] ?? m[1]] });
    } else if ((m = new RegExp(String.raw`^DELETE\s+FROM\s+${IDENTIFIER}`, 'i').exec(statement))) {
      effects.push({ kind: 'delete', table: m[2] ?? m[1], hasWhere: /\bWHERE\b/i.test(statement) });
    } else if ((m = new RegExp(String.raw`^UPDATE\s+${IDENTIFIER}`, 'i').exec(statement))) {
      effects.push({ kind: 'update', table: m[2] ?? m[1], hasWhere: /\bWHERE\b/i.test(statement) });
    } else if (statement) {
      effects.push({ kind: 'other', statement: statement.split(/\s+/).slice(0, 2).join(' ').toUpperCase() });
    }
  }
  return effects;
}
