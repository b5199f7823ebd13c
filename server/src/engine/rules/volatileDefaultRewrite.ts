import type { Report } from '../analysis/finding';
import { asLockAdvice } from '../analysis/lockAdvice';
import { branchDatabase } from '../analysis/codeBranch';
import { createdEarlierInUpgrade } from '../analysis/upgradeContext';
import { runsAt } from '../migration/executionOrder';
import { onPostgres } from '../project/alembicProject';
import { effectsOf } from '../schema/statementEffects';
import { VOLATILE_FUNCTION, volatileFunctionIn } from '../schema/volatileDefaults';
import type { MigrationRule } from './rule';


export const volatileDefaultRewrite: MigrationRule = {
  code: 'AG510',
  name: 'volatile-default-rewrite',
  scope: 'migration',
  defaultSeverity: 'warning',
  summary: '`add_column` with a volatile server default (`gen_random_uuid()`, `random()`, `clock_timestamp()`) on an existing table: full rewrite under an exclusive lock',
  docs: {
    whatItDoes:
      'On PostgreSQL, flags a column added to a table this migration did not create with a volatile default: `server_default=sa.text("gen_random_uuid()")`, `random()`, `clock_timestamp()`, `nextval(…)`, or `ADD COLUMN … DEFAULT gen_random_uuid()` / a serial column in SQL. Information for a project that migrates with its application stopped (see `deploy`).',
    whyIsThisBad:
      'Since PostgreSQL 11 a constant default is stored once and the table is not touched; a volatile one must be computed for every existing row, so the whole table is rewritten under an ACCESS EXCLUSIVE lock: no reads, no writes, for as long as the rewrite takes.',
    example: 'op.add_column("orders", sa.Column("public_id", sa.UUID(), server_default=sa.text("gen_random_uuid()"), nullable=False))',
    useInstead:
      '# add it without a default, fill it in batches, then set the default for new rows\nop.add_column("orders", sa.Column("public_id", sa.UUID(), nullable=True))\n# … backfill in batches (a later migration or a script) …\nop.alter_column("orders", "public_id", server_default=sa.text("gen_random_uuid()"))',
    fix: 'Not mechanical: add the column without the default, backfill in batches, then set the default (and NOT NULL).',
    origin: "PostgreSQL's ALTER TABLE documentation: \"adding a column with a volatile DEFAULT … will require the entire table and its indexes to be rewritten\".",
  },
  check({ migration, project, text }) {
    if (!onPostgres(project)) return [];
    const reports: Report[] = [];
    const report = (start: number, end: number, table: string, column: string, what: string) =>
      reports.push(
        ...asLockAdvice(project, migration, {
          file: migration.path,
          range: text.rangeOf(start, end),
          message: `adding "${table}.${column}" with ${what} rewrites every row of "${table}" under an exclusive lock; add it without the default and backfill in batches`,
          fixes: [],
        }),
      );
    for (const op of migration.ops) {
      if (op.phase !== 'upgrade' || op.name !== 'add_column' || !op.table || !op.column || branchDatabase(op.guard) === 'other') continue;
      if (createdEarlierInUpgrade(migration, op.table, runsAt(op))) continue;
      const volatile = volatileFunctionIn(op.column.options.get('server_default'));
      if (volatile) report(op.callSpan.start, op.callSpan.end, op.table, op.column.name, `the volatile default ${volatile}()`);
    }
    for (const sql of migration.sql) {
      if (sql.phase !== 'upgrade') continue;
      for (const effect of effectsOf(sql)) {
        if (effect.kind !== 'add_column' || createdEarlierInUpgrade(migration, effect.table, runsAt(sql))) continue;
        const volatile = effect.column.defaultFunctions?.find((f) => VOLATILE_FUNCTION.test(`${f}(`));
        if (volatile) report(sql.callSpan.start, sql.callSpan.end, effect.table, effect.column.name, volatile === 'nextval' ? 'values from a sequence' : `the volatile default ${volatile}()`);
      }
    }
    return reports;
  },
};
