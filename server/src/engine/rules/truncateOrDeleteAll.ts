import type { Report } from '../analysis/finding';
import { protectionOf } from '../project/alembicProject';
import { effectsOf } from '../schema/statementEffects';
import { rowsCopiedBefore } from '../analysis/rowsCopied';
import { runsAt } from '../migration/executionOrder';
import type { MigrationRule } from './rule';

export const truncateOrDeleteAll: MigrationRule = {
  code: 'AG106',
  name: 'truncate-or-delete-all',
  scope: 'migration',
  defaultSeverity: 'error',
  summary: '`TRUNCATE`, or `DELETE` without `WHERE`',
  docs: {
    whatItDoes: 'Flags `TRUNCATE` and `DELETE` without a `WHERE` clause in SQL that `upgrade()` runs (`op.execute`, `conn.execute`, `sa.text`).',
    whyIsThisBad:
      'Every row of the table is gone on the first deploy, and no downgrade restores rows. A `DELETE` written against a local copy ("clean up test data") empties production the same way.',
    example: 'op.execute("DELETE FROM sessions")',
    useInstead: '# A one-off clean-up belongs in a reviewed script, not in a migration;\n# when it must be here, say which rows:\nop.execute("DELETE FROM sessions WHERE expires_at < now() - interval \'30 days\'")',
    fix: 'Not mechanical: add the WHERE clause that says which rows, or move the statement to a script.',
    origin: 'A team whose rule is that migrations hold schema changes only (data operations go in reviewed SQL scripts); an unconditional DELETE or TRUNCATE in a migration is the worst case of it.',
  },
  check({ migration, project, text }) {
    const reports: Report[] = [];
    for (const sql of migration.sql) {
      if (sql.phase !== 'upgrade') continue;
      for (const effect of effectsOf(sql)) {
        const tables = effect.kind === 'truncate' ? effect.tables : effect.kind === 'delete' && !effect.hasWhere ? [effect.table] : [];
        for (const table of tables) {
          // A protected table is AG104's.
          if (protectionOf(project, table)) continue;
          // Its rows were copied into another table first (a move to a new table): emptied, not lost.
          if (rowsCopiedBefore(migration, table, runsAt(sql), text.text)) continue;
          reports.push({
            file: migration.path,
            range: text.rangeOf(sql.callSpan.start, sql.callSpan.end),
            message: effect.kind === 'truncate' ? `upgrade() truncates "${table}": every row is deleted` : `upgrade() deletes every row of "${table}" (DELETE without WHERE)`,
            fixes: [],
          });
        }
      }
    }
    return reports;
  },
};
