import type { OpCall } from '../migration/migrationFile';

interface OperationDoc {
  sql: (op: OpCall) => string;
  locks: string;
  destructive: boolean;
}

const name = (op: OpCall, key: string, fallback: string) => {
  const value = op.arguments.get(key)?.value;
  return typeof value === 'string' ? value : fallback;
};
const table = (op: OpCall) => op.table ?? '<table>';

/** What each Alembic operation sends to PostgreSQL and which lock it takes. */
const OPERATIONS: Record<string, OperationDoc> = {
  create_table: { sql: (op) => `CREATE TABLE ${table(op)} (…)`, locks: 'none on existing tables (a new table)', destructive: false },
  drop_table: { sql: (op) => `DROP TABLE ${table(op)}`, locks: 'ACCESS EXCLUSIVE on the table; every row is deleted', destructive: true },
  rename_table: { sql: (op) => `ALTER TABLE ${table(op)} RENAME TO ${name(op, 'new_table_name', '<new>')}`, locks: 'ACCESS EXCLUSIVE (brief)', destructive: false },
  add_column: { sql: (op) => `ALTER TABLE ${table(op)} ADD COLUMN ${op.columns[0] ?? '<column>'} …`, locks: 'ACCESS EXCLUSIVE (brief, unless a volatile default rewrites the table)', destructive: false },
  drop_column: { sql: (op) => `ALTER TABLE ${table(op)} DROP COLUMN ${name(op, 'column_name', '<column>')}`, locks: 'ACCESS EXCLUSIVE (brief); the column\'s values are lost', destructive: true },
  alter_column: { sql: (op) => `ALTER TABLE ${table(op)} ALTER COLUMN ${name(op, 'column_name', '<column>')} …`, locks: 'ACCESS EXCLUSIVE; a type change or SET NOT NULL scans or rewrites the table', destructive: false },
  create_index: { sql: (op) => `CREATE INDEX ${name(op, 'index_name', '<index>')} ON ${table(op)} (…)`, locks: 'SHARE on the table: writes wait until the index is built (use postgresql_concurrently=True)', destructive: false },
  drop_index: { sql: (op) => `DROP INDEX ${name(op, 'index_name', '<index>')}`, locks: 'ACCESS EXCLUSIVE on the table (brief)', destructive: true },
  create_unique_constraint: { sql: (op) => `ALTER TABLE ${table(op)} ADD CONSTRAINT ${name(op, 'constraint_name', '<name>')} UNIQUE (…)`, locks: 'SHARE ROW EXCLUSIVE; builds a unique index', destructive: false },
  create_foreign_key: { sql: (op) => `ALTER TABLE ${table(op)} ADD CONSTRAINT ${name(op, 'constraint_name', '<name>')} FOREIGN KEY (…) REFERENCES ${name(op, 'referent_table', '<table>')} (…)`, locks: 'SHARE ROW EXCLUSIVE on both tables; validates every row', destructive: false },
  create_primary_key: { sql: (op) => `ALTER TABLE ${table(op)} ADD CONSTRAINT ${name(op, 'constraint_name', '<name>')} PRIMARY KEY (…)`, locks: 'ACCESS EXCLUSIVE; builds an index', destructive: false },
  create_check_constraint: { sql: (op) => `ALTER TABLE ${table(op)} ADD CONSTRAINT ${name(op, 'constraint_name', '<name>')} CHECK (…)`, locks: 'ACCESS EXCLUSIVE; validates every row', destructive: false },
  drop_constraint: { sql: (op) => `ALTER TABLE ${table(op)} DROP CONSTRAINT ${name(op, 'constraint_name', '<name>')}`, locks: 'ACCESS EXCLUSIVE (brief)', destructive: true },
  execute: { sql: () => 'the SQL given, as written', locks: 'whatever that SQL takes', destructive: false },
  bulk_insert: { sql: (op) => `INSERT INTO ${name(op, 'table', '<table>')} … (one row per dict)`, locks: 'ROW EXCLUSIVE', destructive: false },
};

/** The lock an operation takes (PostgreSQL), for the review. */
export function operationLock(op: OpCall): string | undefined {
  return OPERATIONS[op.name]?.locks;
}

export function isDestructive(op: OpCall): boolean {
  return OPERATIONS[op.name]?.destructive ?? false;
}

/** Markdown for a hover on `op.<name>(...)`; undefined for operations we do not describe. */
export function operationMarkdown(op: OpCall): string | undefined {
  const doc = OPERATIONS[op.name];
  if (!doc) return undefined;
  const where = op.batched ? ` (batch mode on "${op.table ?? '?'}": on SQLite the table is copied and recreated)` : '';
  return [
    `**${op.receiver}.${op.name}** in ${op.phase ?? 'a helper'}()${where}`,
    '',
    '```sql',
    doc.sql(op),
    '```',
    `Lock: ${doc.locks}.`,
    doc.destructive ? '\n**Destructive**: data removed here does not come back with a downgrade.' : '',
  ].join('\n');
}
