import { asDropOnBranch } from '../analysis/contractBranchDrop';
import type { Report } from '../analysis/finding';
import { createdEarlierInUpgrade } from '../analysis/upgradeContext';
import { runsAt } from '../migration/executionOrder';
import { columnValuesKept } from '../analysis/valuesKept';
import { END_OF_UPGRADE, someEarlierRevision } from '../analysis/earlierRevisions';
import { dropUndoFixes } from '../fixes/dropUndoFixes';
import type { OpCall } from '../migration/migrationFile';
import { protectionOf } from '../project/alembicProject';
import { effectsOf } from '../schema/statementEffects';
import type { MigrationRule } from './rule';

export const dropColumnInUpgrade: MigrationRule = {
  code: 'AG102',
  name: 'drop-column-in-upgrade',
  scope: 'migration',
  defaultSeverity: 'warning',
  summary: '`op.drop_column`, `batch_op.drop_column` or `ALTER TABLE … DROP COLUMN` inside `upgrade()`',
  docs: {
    whatItDoes: 'Flags a column dropped by `upgrade()`: `op.drop_column`, `batch_op.drop_column` in a `batch_alter_table` block, or `ALTER TABLE … DROP COLUMN` in SQL. Not reported: a column the same upgrade added, one whose values the upgrade first copies elsewhere (an INSERT or UPDATE that reads it, an insert/update expression, `bulk_insert`, an ORM write), or one of a table it first empties. On the `contract` branch of a project that keeps expand and contract branches, where drops belong, the finding is information.',
    whyIsThisBad:
      'The column\'s values are gone for good, and code still deployed that reads the column breaks at once. Autogenerate emits a drop for every column the model no longer declares, including one a model forgot or renamed.',
    example: 'def upgrade() -> None:\n    op.drop_column("users", "phone")',
    useInstead:
      '# Rename instead of drop + add:\nop.alter_column("users", "name", new_column_name="full_name")\n\n# Drop only after the code stopped reading it, in a migration of its own:\n# alembic-guard: ignore[AG102] phone unused since release 4.2\nop.drop_column("users", "phone")',
    fix: 'Remove the drop and its re-add in `downgrade()`, or move the drop to `downgrade()`.',
    origin: "Teams' migration guides after data-loss incidents: \"No `op.drop_column()` for columns still in use\", \"DROP COLUMN only for truly unused columns (after deprecation period)\".",
  },
  check({ migration, project, text, source }) {
    const upgrade = migration.ops.filter((op) => op.phase === 'upgrade');
    // Copied by an earlier revision (the backfill step of a move), then dropped here.
    const copiedEarlier = (table: string, column: string) => someEarlierRevision(project, migration, source, (earlier, earlierText) => columnValuesKept(earlier, table, column, END_OF_UPGRADE, earlierText, true));
    const addedBefore = (table: string, column: string, at: number) =>
      upgrade.some((op) => op.name === 'add_column' && op.table === table && op.columns.includes(column) && runsAt(op) < at);
    const tableDropped = (table: string) => upgrade.some((op) => op.name === 'drop_table' && op.table === table);
    // New columns and tables lose nothing; protected tables are AG104's.
    // Values copied elsewhere first (or a table emptied first) are not lost either.
    const revision = project.graph.revisionOf(migration);
    const before = revision ? project.schema.before(revision.id) : undefined;
    // Nothing of its own to lose: a full-text vector computed from other columns, or a foreign key
    // to a table this upgrade drops (what it pointed at is gone with that table: AG101 says so).
    const holdsNothingOfItsOwn = (table: string, column: string) => {
      const known = before?.table(table);
      if (/tsvector/i.test(known?.columns.get(column)?.type ?? '')) return true;
      return !!known?.objects.some((o) => o.kind === 'foreign_key' && o.columns.length === 1 && o.columns[0] === column && !!o.referredTable && o.referredTable !== table && tableDropped(o.referredTable));
    };
    const isNew = (table: string, column: string, drop: Pick<OpCall, 'callSpan' | 'via'>) =>
      createdEarlierInUpgrade(migration, table, runsAt(drop)) ||
      addedBefore(table, column, runsAt(drop)) ||
      tableDropped(table) ||
      !!protectionOf(project, table) ||
      holdsNothingOfItsOwn(table, column) ||
      columnValuesKept(migration, table, column, drop, text.text);
    const reports: Report[] = [];
    for (const op of upgrade) {
      if (op.name !== 'drop_column' || !op.table) continue;
      const column = op.arguments.get('column_name')?.value;
      if (typeof column !== 'string' || isNew(op.table, column, op) || copiedEarlier(op.table, column)) continue;
      reports.push(asDropOnBranch(project, migration, report(op, op.table, column)));
    }
    for (const sql of migration.sql) {
      if (sql.phase !== 'upgrade') continue;
      for (const effect of effectsOf(sql)) {
        if (effect.kind !== 'drop_column') continue;
        for (const column of effect.columns) {
          if (isNew(effect.table, column, sql) || copiedEarlier(effect.table, column)) continue;
          reports.push(
            asDropOnBranch(project, migration, {
              file: migration.path,
              range: text.rangeOf(sql.callSpan.start, sql.callSpan.end),
              message: `upgrade() drops column "${effect.table}.${column}" and its values`,
              fixes: [],
            }),
          );
        }
      }
    }
    return reports;

    function report(op: OpCall, table: string, column: string): Report {
      return {
        file: migration.path,
        range: text.rangeOf(op.callSpan.start, op.callSpan.end),
        message: `upgrade() drops column "${table}.${column}" and its values`,
        fixes: dropUndoFixes(
          migration,
          text,
          { label: `column "${table}.${column}"`, statement: op.statement, batched: op.batched },
          (other) => other.name === 'add_column' && other.table === table && other.columns.includes(column),
        ),
      };
    }
  },
};
