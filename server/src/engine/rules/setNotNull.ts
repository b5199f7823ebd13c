import { createdEarlierInUpgrade } from '../analysis/upgradeContext';
import type { MigrationRule } from './rule';

export const setNotNull: MigrationRule = {
  code: 'AG502',
  name: 'set-not-null',
  scope: 'migration',
  defaultSeverity: 'warning',
  summary: '`alter_column(nullable=False)` on an existing table',
  docs: {
    whatItDoes: 'Flags `alter_column(..., nullable=False)` (and `batch_op.alter_column`) on a table this migration did not create.',
    whyIsThisBad:
      '`SET NOT NULL` scans the whole table under an ACCESS EXCLUSIVE lock: reads and writes wait for the scan. It fails outright if a single row still holds NULL, typically because the backfill missed rows written while it ran.',
    example: 'op.alter_column("users", "credits", nullable=False)',
    useInstead:
      '# backfill first, in the same migration or an earlier one\nop.execute("UPDATE users SET credits = 0 WHERE credits IS NULL")\nop.alter_column("users", "credits", nullable=False)\n# on big tables (PostgreSQL 12+): add CHECK (credits IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL without a scan',
    fix: 'Not mechanical: make sure a backfill precedes it; on large tables use the CHECK … NOT VALID route.',
    origin: 'Seed 002, Data Migration Pattern step 3: "Make NOT NULL (if needed) after data is migrated".',
  },
  check({ migration, project, text }) {
    const version = project.guard.postgresVersion;
    return migration.ops
      .filter((op) => op.phase === 'upgrade' && op.name === 'alter_column' && op.table && op.arguments.get('nullable')?.text === 'False' && !createdEarlierInUpgrade(migration, op.table, op.callSpan.start))
      .map((op) => {
        const backfilled = migration.sql.some((s) => s.phase === 'upgrade' && s.callSpan.start < op.callSpan.start && new RegExp(`UPDATE\\s+"?${op.table}"?`, 'i').test(s.sql));
        const column = op.arguments.get('column_name')?.value;
        const advice = version === undefined || version >= 12 ? 'on a large table, validate a CHECK … NOT VALID constraint first (PostgreSQL 12+)' : `PostgreSQL ${version} has no scan-free way: schedule it when the table can be locked`;
        return {
          file: migration.path,
          range: text.rangeOf(op.callSpan.start, op.callSpan.end),
          message: `SET NOT NULL on "${op.table}.${column}" scans the table under an exclusive lock${backfilled ? '' : ' and fails if any row is NULL (no backfill precedes it)'}; ${advice}`,
          fixes: [],
        };
      });
  },
};
