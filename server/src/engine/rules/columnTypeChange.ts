import { asLockAdvice } from '../analysis/lockAdvice';
import { branchDatabase, branchDialect } from '../analysis/codeBranch';
import { createdEarlierInUpgrade } from '../analysis/upgradeContext';
import type { Report } from '../analysis/finding';
import type { OpCall } from '../migration/migrationFile';
import { classifyTypeChange, classifyTypeChangeOnMySql, readColumnType, TypeChange } from '../schema/columnType';
import { databaseOf } from '../project/alembicProject';
import type { OpGuard } from '../migration/migrationFile';
import { effectsOf } from '../schema/statementEffects';
import type { MigrationRule } from './rule';

export const columnTypeChange: MigrationRule = {
  code: 'AG503',
  name: 'column-type-change',
  scope: 'migration',
  defaultSeverity: 'warning',
  summary: '`alter_column(type_=…)` or `ALTER COLUMN … TYPE` that rewrites the table or can fail',
  docs: {
    whatItDoes:
      'Flags a column type change (`alter_column(type_=...)`, `ALTER TABLE … ALTER COLUMN … TYPE`) on a table this migration did not create, knowing the old type from the schema replayed through the chain, from `existing_type`, or from what `downgrade()` sets it back to; when none of them tells the old type, it says nothing. Silent when nothing needs rewriting: the same type written another way (`Unicode(50)` → `String(50)`), a longer `VARCHAR`, `VARCHAR` → `TEXT` and back to unbounded, a wider `NUMERIC` of the same scale, values added to an enum. On MySQL (the project\'s `dialect` or URL, or a branch for it), InnoDB\'s rules: a VARCHAR that grows within its length-prefix size and ENUM values appended change in place, any other type change copies the table. Casts that can fail on existing rows (text → integer, json, an enum; a shorter length; bigint → integer) say so.',
    whyIsThisBad:
      'Most type changes rewrite the whole table and its indexes under an ACCESS EXCLUSIVE lock, and a cast that fails on one row aborts the migration. Values can also be truncated or rounded silently (VARCHAR(255) → VARCHAR(64), NUMERIC scale).',
    example: 'op.alter_column("accounts", "balance", type_=sa.DECIMAL(15, 2), existing_type=sa.Integer())',
    useInstead: '# add a new column, backfill it in batches, switch the code, then drop the old one\nop.add_column("accounts", sa.Column("balance_v2", sa.DECIMAL(15, 2), nullable=True))',
    fix: 'Not mechanical: expand/contract through a new column for large or busy tables; ignore with a reason for small ones.',
    origin: "A team's post-mortem lists `op.alter_column('accounts', 'balance', type_=sa.DECIMAL(15,2))` among \"multiple unrelated changes\" that broke deploys; PostgreSQL's ALTER TABLE documentation on binary-coercible types.",
  },
  check({ migration, project, text }) {
    const revision = project.graph.revisionOf(migration);
    const before = revision ? project.schema.before(revision.id) : undefined;
    const reports: Report[] = [];
    const judge = (table: string, schema: string | undefined, column: string, newType: string, oldType: string | undefined, span: { start: number; end: number }, guard: OpGuard | undefined) => {
      if (createdEarlierInUpgrade(migration, table, span.start)) return;
      // The database this code runs on: its branch's (`if dialect.name == "mysql":`), else the project's.
      const branch = branchDatabase(guard);
      const database = branch === 'other' ? branchDialect(guard) : (branch ?? databaseOf(project) ?? 'postgresql');
      // SQLite has no ALTER COLUMN TYPE (batch mode copies the table, with nothing else to wait); other databases are not modelled.
      if (database !== 'postgresql' && database !== 'mysql') return;
      const known = before?.table(table, schema)?.columns.get(column);
      // The type the chain gave the column (created or changed by a migration) is surer than a hand-written hint.
      const was = (known?.typeChangedBy ? known.type : undefined) ?? oldType ?? known?.type;
      const from = readColumnType(was);
      const to = readColumnType(newType);
      let change: TypeChange | undefined;
      const spelled = (type: string | undefined) => type?.replace(/\s+/g, '').replace(/\(\)$/, '').toLowerCase();
      if (was && spelled(was) === spelled(newType)) change = 'same';
      else if (from && to) change = database === 'mysql' ? classifyTypeChangeOnMySql(from, to) : classifyTypeChange(from, to);
      // The old type is unknown (a table older than the migrations, no existing_type): whether this rewrites anything cannot be known.
      if (change === undefined || change === 'same' || change === 'no-rewrite') return;
      const message =
        change === 'may-fail'
          ? database === 'mysql'
            ? `changing "${table}.${column}" from ${was} to ${newType} can fail on existing rows (a cast that does not fit aborts the migration, or truncates outside strict mode) and MySQL copies the whole table while writes to it wait`
            : `changing "${table}.${column}" from ${was} to ${newType} can fail on existing rows (a cast that does not fit aborts the migration) and rewrites the table under an exclusive lock`
          : database === 'mysql'
            ? `changing the type of "${table}.${column}"${was ? ` from ${was}` : ''} to ${newType} makes MySQL copy the whole table while writes to it wait`
            : `changing the type of "${table}.${column}"${was ? ` from ${was}` : ''} to ${newType} rewrites the table and its indexes under an exclusive lock`;
      // A cast that can fail breaks the migration whatever the deployment; a rewrite is a matter of locks.
      const report: Report = { file: migration.path, range: text.rangeOf(span.start, span.end), message, fixes: [] };
      reports.push(...(change === 'may-fail' ? [report] : asLockAdvice(project, migration, report)));
    };
    for (const op of migration.ops) {
      if (op.phase !== 'upgrade' || op.name !== 'alter_column' || !op.table || !op.arguments.has('type_')) continue;
      const column = op.arguments.get('column_name')?.value;
      if (typeof column !== 'string') continue;
      const addedHere = migration.ops.some((a) => a.phase === 'upgrade' && a.name === 'add_column' && a.table === op.table && a.columns[0] === column && a.callSpan.start < op.callSpan.start);
      if (addedHere) continue;
      judge(op.table, op.schema, column, op.arguments.get('type_')!.text, oldTypeOf(op, migration.ops), op.callSpan, op.guard);
    }
    for (const sql of migration.sql) {
      if (sql.phase !== 'upgrade') continue;
      for (const effect of effectsOf(sql)) {
        if (effect.kind === 'alter_column_type') judge(effect.table, undefined, effect.column, effect.type, undefined, sql.callSpan, sql.guard);
      }
    }
    return reports;
  },
};

/** The type the column had: `existing_type`, else the type `downgrade()` puts back. */
function oldTypeOf(op: OpCall, ops: OpCall[]): string | undefined {
  const existing = op.arguments.get('existing_type')?.text;
  if (existing) return existing;
  const column = op.arguments.get('column_name')?.value;
  const undo = ops.find((d) => d.phase === 'downgrade' && d.name === 'alter_column' && d.table === op.table && d.arguments.get('column_name')?.value === column && d.arguments.has('type_'));
  return undo?.arguments.get('type_')?.text;
}
