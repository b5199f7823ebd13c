import type { Report } from '../analysis/finding';
import { backfilledBefore } from '../analysis/backfill';
import { asLockAdvice } from '../analysis/lockAdvice';
import { createdEarlierInUpgrade } from '../analysis/upgradeContext';
import { runsAt } from '../migration/executionOrder';
import { databaseOfCode } from '../analysis/codeBranch';
import type { MigrationRule } from './rule';

export const setNotNull: MigrationRule = {
  code: 'AG502',
  name: 'set-not-null',
  scope: 'migration',
  defaultSeverity: 'warning',
  summary: '`alter_column(nullable=False)` on an existing table',
  docs: {
    whatItDoes: 'Flags `alter_column(..., nullable=False)` (and `batch_op.alter_column`) on a table this migration did not create; the lock advice is PostgreSQL\'s, given only where the project (or the code branch) runs on it. A column this upgrade adds and backfills (or gives a `server_default`) before SET NOT NULL is not reported; one it adds and sets NOT NULL with no value is an error, since it fails on any table with rows. The lock warning is information for a project that migrates with its application stopped (see `deploy`).',
    whyIsThisBad:
      '`SET NOT NULL` scans the whole table under an ACCESS EXCLUSIVE lock: reads and writes wait for the scan. It fails outright if a single row still holds NULL, typically because the backfill missed rows written while it ran.',
    example: 'op.alter_column("users", "credits", nullable=False)',
    useInstead:
      '# backfill first, in the same migration or an earlier one\nop.execute("UPDATE users SET credits = 0 WHERE credits IS NULL")\nop.alter_column("users", "credits", nullable=False)\n# on big tables (PostgreSQL 12+): add CHECK (credits IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL without a scan',
    fix: 'Not mechanical: make sure a backfill precedes it; on large tables use the CHECK … NOT VALID route.',
    origin: "Teams' data migration pattern: add the column nullable, backfill it, and only then \"Make NOT NULL (if needed) after data is migrated\".",
  },
  check({ migration, project, text }) {
    const version = project.guard.postgresVersion;
    const revision = project.graph.revisionOf(migration);
    const before = revision ? project.schema.before(revision.id) : undefined;
    const reports: Report[] = [];
    for (const op of migration.ops) {
      if (op.phase !== 'upgrade' || op.name !== 'alter_column' || !op.table || op.arguments.get('nullable')?.text !== 'False') continue;
      if (createdEarlierInUpgrade(migration, op.table, runsAt(op))) continue;
      const column = op.arguments.get('column_name')?.value;
      // Already NOT NULL (created so, or a primary key): PostgreSQL does nothing, no scan.
      const known = typeof column === 'string' ? before?.table(op.table, op.schema)?.columns.get(column) : undefined;
      if (known?.nullableChangedBy && known.nullable === false) continue;
      const backfilled = typeof column === 'string' && backfilledBefore(migration, op.table, column, runsAt(op));
      const added = migration.ops.find((a) => a.phase === 'upgrade' && a.name === 'add_column' && a.table === op.table && a.columns[0] === column && a.callSpan.start < op.callSpan.start);
      const range = text.rangeOf(op.callSpan.start, op.callSpan.end);
      if (added) {
        // Added by this upgrade and filled in before SET NOT NULL: the add, backfill, set NOT NULL pattern: nothing to say.
        if (backfilled || added.column?.options.has('server_default')) continue;
        reports.push({
          file: migration.path,
          range,
          severity: 'error',
          message: `"${op.table}.${column}" is added by this upgrade and made NOT NULL without a value: every existing row holds NULL, so SET NOT NULL fails on any table with rows; backfill it first or give it a server_default`,
          fixes: [],
        });
        continue;
      }
      // Locks and CHECK … NOT VALID are PostgreSQL's: other databases (the project's, or a branch's) get no lock advice.
      if ((databaseOfCode(project, op.guard) ?? 'postgresql') !== 'postgresql') continue;
      const advice = version === undefined || version >= 12 ? 'on a large table, validate a CHECK … NOT VALID constraint first (PostgreSQL 12+)' : `PostgreSQL ${version} has no scan-free way: schedule it when the table can be locked`;
      reports.push(
        ...asLockAdvice(project, migration, {
          file: migration.path,
          range,
          message: `SET NOT NULL on "${op.table}.${column}" scans the table under an exclusive lock${backfilled ? '' : ' and fails if any row is NULL (no backfill precedes it)'}; ${advice}`,
          fixes: [],
        }),
      );
    }
    return reports;
  },
};
