import { loadModule, parseSync } from 'libpg-query';

/** What one SQL statement does to the schema or the data, as far as the rules care. */
export type SqlEffect =
  | { kind: 'drop_table'; tables: string[] }
  | { kind: 'drop_column'; table: string; columns: string[] }
  | { kind: 'drop_index'; names: string[] }
  | { kind: 'drop_constraint'; table: string; names: string[] }
  | { kind: 'truncate'; tables: string[] }
  | { kind: 'delete'; table: string; hasWhere: boolean }
  | { kind: 'update'; table: string; hasWhere: boolean }
  | { kind: 'insert'; table: string }
  | { kind: 'create_table'; table: string }
  | { kind: 'rename_table'; table: string; newName: string }
  | { kind: 'alter_type_add_value'; typeName: string }
  | { kind: 'create_index'; table: string; name: string | undefined; concurrently: boolean }
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
    return { effects: readSqlKeywords(sql), parsed: false };
  }
  return { effects: statements.flatMap(effectsOf), parsed: true };
}

function qualifiedName(relation: AstNode | undefined): string {
  if (!relation) return '';
  return relation.relname ?? '';
}

function nameList(items: AstNode[] | undefined): string {
  const parts = (items ?? []).map((i) => i.String?.sval).filter(Boolean);
  return parts[parts.length - 1] ?? '';
}

function effectsOf(statement: AstNode): SqlEffect[] {
  const [kind] = Object.keys(statement);
  const node = statement[kind];
  switch (kind) {
    case 'DropStmt': {
      // objects are lists of name parts; the last part is the object's own name
      const names = (node.objects ?? []).map((o: AstNode) => nameList(o.List?.items));
      if (node.removeType === 'OBJECT_TABLE') return [{ kind: 'drop_table', tables: names }];
      if (node.removeType === 'OBJECT_INDEX') return [{ kind: 'drop_index', names }];
      return [{ kind: 'other', statement: kind }];
    }
    case 'TruncateStmt':
      return [{ kind: 'truncate', tables: (node.relations ?? []).map((r: AstNode) => qualifiedName(r.RangeVar)) }];
    case 'DeleteStmt':
      return [{ kind: 'delete', table: qualifiedName(node.relation), hasWhere: !!node.whereClause }];
    case 'UpdateStmt':
      return [{ kind: 'update', table: qualifiedName(node.relation), hasWhere: !!node.whereClause }];
    case 'InsertStmt':
      return [{ kind: 'insert', table: qualifiedName(node.relation) }];
    case 'CreateStmt':
      return [{ kind: 'create_table', table: qualifiedName(node.relation) }];
    case 'AlterEnumStmt':
      return node.newVal !== undefined ? [{ kind: 'alter_type_add_value', typeName: nameList(node.typeName) }] : [];
    case 'IndexStmt':
      return [{ kind: 'create_index', table: qualifiedName(node.relation), name: node.idxname, concurrently: !!node.concurrent }];
    case 'RenameStmt':
      if (node.renameType === 'OBJECT_TABLE') {
        return [{ kind: 'rename_table', table: qualifiedName(node.relation), newName: node.newname }];
      }
      return [{ kind: 'other', statement: kind }];
    case 'AlterTableStmt': {
      const table = qualifiedName(node.relation);
      const commands: AstNode[] = (node.cmds ?? []).map((c: AstNode) => c.AlterTableCmd);
      const dropped = commands.filter((c) => c.subtype === 'AT_DropColumn').map((c) => c.name as string);
      const droppedConstraints = commands.filter((c) => c.subtype === 'AT_DropConstraint').map((c) => c.name as string);
      const effects: SqlEffect[] = [];
      if (dropped.length) effects.push({ kind: 'drop_column', table, columns: dropped });
      if (droppedConstraints.length) effects.push({ kind: 'drop_constraint', table, names: droppedConstraints });
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
      if (!/^CONSTRAINT$/i.test(m[3])) effects.push({ kind: 'drop_column', table: m[2] ?? m[1], columns: [m[3]] });
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
