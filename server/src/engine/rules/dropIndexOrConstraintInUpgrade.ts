import type { Report } from '../analysis/finding';
import { dropUndoFixes } from '../fixes/dropUndoFixes';
import type { OpCall } from '../migration/migrationFile';
import { createdName, droppedName } from '../migration/objectNames';
import { createdColumns, protectionOf } from '../project/alembicProject';
import type { MigrationRule } from './rule';

const CONSTRAINT_CREATES: Record<string, string[]> = {
  foreignkey: ['create_foreign_key'],
  unique: ['create_unique_constraint'],
  primary: ['create_primary_key'],
  check: ['create_check_constraint'],
};
const ANY_CONSTRAINT_CREATE = ['create_foreign_key', 'create_unique_constraint', 'create_primary_key', 'create_check_constraint', 'create_exclude_constraint'];

/** The operations that re-create what a drop removed. */
function recreatingOps(drop: OpCall): string[] {
  if (drop.name === 'drop_index') return ['create_index'];
  const type = drop.arguments.get('type_')?.value;
  return (typeof type === 'string' && CONSTRAINT_CREATES[type]) || ANY_CONSTRAINT_CREATE;
}

function sameColumns(a: string[] | undefined, b: string[] | undefined): boolean {
  return !!a && !!b && a.length === b.length && a.every((c, i) => c === b[i]);
}

export const dropIndexOrConstraintInUpgrade: MigrationRule = {
  code: 'AG103',
  name: 'drop-index-or-constraint-in-upgrade',
  scope: 'migration',
  defaultSeverity: 'warning',
  summary: 'an index or constraint dropped in `upgrade()` and not re-created there',
  docs: {
    whatItDoes:
      'Flags `drop_index` and `drop_constraint` in `upgrade()` (also in batch blocks) unless the same `upgrade()` re-creates it under the same name or creates its replacement on the same table.',
    whyIsThisBad:
      'Dropping a unique or foreign-key constraint lets bad rows in at once; dropping an index can turn fast queries into full scans in production. Autogenerate emits these drops when a model forgot an `index=True` or a constraint it still needs.',
    example: 'def upgrade() -> None:\n    op.drop_index("ix_users_email", table_name="users")',
    useInstead:
      '# Changing an index: drop and re-create it in the same upgrade() (not reported)\ndef upgrade() -> None:\n    op.drop_index("ix_users_email", table_name="users")\n    op.create_index("ix_users_email", "users", ["email"], unique=True)',
    fix: 'Remove the drop and its re-create in `downgrade()`, or move the drop to `downgrade()`.',
    origin: 'Seed 001: "❌ `op.drop_index()` in `upgrade()` for existing indexes".',
  },
  check({ migration, project, text }) {
    const upgrade = migration.ops.filter((op) => op.phase === 'upgrade');
    const reports: Report[] = [];
    for (const drop of upgrade) {
      if (drop.name !== 'drop_index' && drop.name !== 'drop_constraint') continue;
      const name = droppedName(drop);
      if (!name) continue;
      const table = drop.table;
      const tableGoesOrIsNew = upgrade.some(
        (op) => op.table === table && table !== undefined && (op.name === 'drop_table' || (op.name === 'create_table' && op.callSpan.start < drop.callSpan.start)),
      );
      if (tableGoesOrIsNew || (table && protectionOf(project, table))) continue;
      const kinds = recreatingOps(drop);
      // A replacement: the same name again; or, on the same table, the same columns (known
      // from the chain's history); or the very next operation, unless both column lists are
      // known and differ (an expression index such as lower(email) has no literal columns).
      const knownColumns = project.createdObjects.get(name)?.columns;
      const next = upgrade[upgrade.indexOf(drop) + 1];
      const nextColumns = next ? createdColumns(next) : undefined;
      const recreated =
        upgrade.some((op) => kinds.includes(op.name) && createdName(op) === name) ||
        upgrade.some((op) => kinds.includes(op.name) && op.table === table && op.callSpan.start > drop.callSpan.start && sameColumns(createdColumns(op), knownColumns)) ||
        (!!next && kinds.includes(next.name) && table !== undefined && next.table === table && !(knownColumns && nextColumns && !sameColumns(knownColumns, nextColumns)));
      if (recreated) continue;
      const what = drop.name === 'drop_index' ? 'index' : 'constraint';
      reports.push({
        file: migration.path,
        range: text.rangeOf(drop.callSpan.start, drop.callSpan.end),
        message: `upgrade() drops ${what} "${name}"${table ? ` of "${table}"` : ''} and does not re-create it`,
        fixes: dropUndoFixes(
          migration,
          text,
          { label: `${what} "${name}"`, statement: drop.statement, batched: drop.batched },
          (op) => kinds.includes(op.name) && createdName(op) === name,
        ),
      });
    }
    return reports;
  },
};
