import type { Report } from '../analysis/finding';
import { branchDatabase } from '../analysis/codeBranch';
import type { OpGuard } from '../migration/migrationFile';
import { onPostgres } from '../project/alembicProject';
import { effectsOf } from '../schema/statementEffects';
import type { MigrationRule } from './rule';

/** Operations that change the schema (a failure of any aborts PostgreSQL's transaction; so does any failed statement, but these are the ones people guard). */
const DDL_OPERATIONS = new Set([
  'create_table', 'drop_table', 'rename_table', 'add_column', 'drop_column', 'alter_column', 'create_index', 'drop_index',
  'create_unique_constraint', 'create_primary_key', 'create_check_constraint', 'create_foreign_key', 'create_exclude_constraint', 'drop_constraint',
]);

/** SQL that reads or sets session state, not the schema: what real migrations probe inside try/except on purpose. */
const NOT_DDL = new Set(['insert', 'update', 'delete', 'truncate']);

export const ddlErrorSwallowed: MigrationRule = {
  code: 'AG305',
  name: 'ddl-error-swallowed',
  scope: 'migration',
  defaultSeverity: 'warning',
  summary: 'DDL inside a `try/except` that swallows the error (PostgreSQL aborts the transaction; the rest is skipped or fails)',
  docs: {
    whatItDoes:
      'On PostgreSQL, flags a schema change (`op.create_index`, `op.drop_constraint`, `ALTER TABLE …` in SQL…) in the body of a `try` whose `except` does not raise again, outside `autocommit_block()`. Code in a branch for another database is left alone.',
    whyIsThisBad:
      'When the statement fails, PostgreSQL marks the whole transaction aborted. The `except` hides the error, but every later statement of the migration (and of the other migrations in the same run) then fails with "current transaction is aborted, commands ignored until end of transaction block", far from the cause; or, if nothing follows, the commit silently rolls everything back.',
    example: 'try:\n    op.drop_constraint("uq_users_email", "users", type_="unique")\nexcept Exception:\n    pass  # it may not exist',
    useInstead:
      '# ask first, instead of failing and hoping\nop.execute("ALTER TABLE users DROP CONSTRAINT IF EXISTS uq_users_email")\n# or run the attempt in a savepoint: with op.get_bind().begin_nested(): ...',
    fix: 'Not mechanical: test for the object first (`IF EXISTS`, `sa.inspect(bind)`), or wrap the attempt in a savepoint (`bind.begin_nested()`).',
    origin: "PostgreSQL's transaction semantics (an error aborts the transaction block); Alembic runs migrations in one transaction by default.",
  },
  check({ migration, project, text }) {
    // With the connection in AUTOCOMMIT there is no transaction for a failed statement to abort.
    if (project.env?.autocommit) return [];
    // A savepoint (`begin_nested()`) around the attempt makes swallowing safe.
    if (!onPostgres(project) || /begin_nested\s*\(/.test(text.text)) return [];
    const swallows = (guard: OpGuard | undefined) => guard?.kind === 'try' && guard.swallowed === true;
    const reports: Report[] = [];
    const report = (start: number, end: number, what: string) =>
      reports.push({
        file: migration.path,
        range: text.rangeOf(start, end),
        message: `if ${what} fails, the except hides it but PostgreSQL has aborted the transaction: every later statement fails ("current transaction is aborted") or the migration rolls back; test for the object first or use a savepoint`,
        fixes: [],
      });
    for (const op of migration.ops) {
      if (!op.phase || op.inAutocommit || !swallows(op.guard) || !DDL_OPERATIONS.has(op.name) || branchDatabase(op.guard) === 'other') continue;
      report(op.callSpan.start, op.callSpan.end, `${op.receiver}.${op.name}(${op.table ? `"${op.table}"` : ''})`);
    }
    for (const sql of migration.sql) {
      if (!sql.phase || sql.inAutocommit || !swallows(sql.guard) || branchDatabase(sql.guard) === 'other') continue;
      const ddl = effectsOf(sql).some((e) => !NOT_DDL.has(e.kind) && (e.kind !== 'other' || /^(AlterTableStmt|IndexStmt|CreateStmt|DropStmt|RenameStmt|AlterEnumStmt|CreateEnumStmt|ViewStmt|CreateTrigStmt|CreateFunctionStmt)/.test(e.statement)));
      if (ddl) report(sql.callSpan.start, sql.callSpan.end, 'this SQL');
    }
    return reports;
  },
};
