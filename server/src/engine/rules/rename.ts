import { asLockAdvice } from '../analysis/lockAdvice';
import { runsAt } from '../migration/executionOrder';
import type { OpCall } from '../migration/migrationFile';
import type { MigrationRule } from './rule';

export const rename: MigrationRule = {
  code: 'AG504',
  name: 'rename',
  scope: 'migration',
  defaultSeverity: 'warning',
  summary: '`rename_table`, `alter_column(new_column_name=…)`',
  docs: {
    whatItDoes: 'Flags table renames and column renames in `upgrade()`: a warning where migrations run while the application serves, information where they run with it stopped (see `deploy`).',
    whyIsThisBad:
      'The application that is still running (during a rolling deploy, or until every worker restarts) queries the old name and fails at once. A rename is safe only when no running code uses the name.',
    example: 'op.alter_column("users", "name", new_column_name="full_name")',
    useInstead: '# expand/contract: add the new column, write both, backfill, switch reads, drop the old one later\nop.add_column("users", sa.Column("full_name", sa.String(), nullable=True))',
    fix: 'Not mechanical: rename only when nothing running uses the old name (ignore with that reason), or expand/contract.',
    origin: "Teams' guides recommend renames over drop + create because they keep the data; they do not keep the code that still uses the old name running.",
  },
  check({ migration, project, text }) {
    const upgradeOps = migration.ops.filter((op) => op.phase === 'upgrade');
    // `t` renamed to `t_old`, a new `t` built and filled, `t_old` dropped: a rebuild in one upgrade, the name `t` stays.
    const movedAsideForRebuild = (op: OpCall, to: unknown) =>
      op.name === 'rename_table' && typeof to === 'string' && upgradeOps.some((d) => d.name === 'drop_table' && d.table === to && runsAt(d) > runsAt(op));
    return upgradeOps
      .filter((op) => op.name === 'rename_table' || (op.name === 'alter_column' && op.arguments.has('new_column_name')))
      .flatMap((op) => {
        const column = op.arguments.get('column_name')?.value;
        const to = op.name === 'rename_table' ? op.arguments.get('new_table_name')?.value : op.arguments.get('new_column_name')?.value;
        if (movedAsideForRebuild(op, to)) return [];
        // A column this upgrade added under a temporary name, renamed into place: no running code knew the old name.
        if (op.name === 'alter_column' && typeof column === 'string' && upgradeOps.some((a) => a.name === 'add_column' && a.table === op.table && a.columns[0] === column && runsAt(a) < runsAt(op))) return [];
        const quoted = (value: unknown) => (typeof value === 'string' ? `"${value}"` : undefined);
        // Names passed in at run time (a helper's parameters) are not known: say what is renamed instead.
        const from = op.name === 'rename_table' ? (quoted(op.table) ?? 'a table') : typeof op.table === 'string' && typeof column === 'string' ? `"${op.table}.${column}"` : (quoted(column) ?? 'a column');
        return asLockAdvice(project, migration, {
          file: migration.path,
          range: text.rangeOf(op.callSpan.start, op.callSpan.end),
          message: `renaming ${from}${quoted(to) ? ` to ${quoted(to)}` : ''} breaks code that still uses the old name until every instance is redeployed`,
          fixes: [],
        });
      });
  },
};
