import type { Fix, FileEdit, TextEdit } from '../analysis/finding';
import { TableDrop, tableDropsInUpgrade } from '../analysis/tableDrops';
import { removeDropEdits, tableDropCompanions } from '../fixes/dropUndoFixes';
import type { OpCall } from '../migration/migrationFile';
import { excludeTablesInEnv } from '../fixes/includeObjectEdit';
import type { MigrationRule } from './rule';

export const dropOfUnmanagedTable: MigrationRule = {
  code: 'AG203',
  name: 'drop-of-unmanaged-table',
  scope: 'migration',
  defaultSeverity: 'error',
  summary: '`drop_table("t")` where no migration created `t` and no model defines it: managed outside Alembic',
  docs: {
    whatItDoes:
      'Flags a drop in `upgrade()` of a table that no migration of the chain creates and no model defines: a table that another tool (Better Auth, Auth.js, PostGIS, Celery…) or hand-written SQL created. When some `upgrade()` builds tables with `metadata.create_all(...)`, the tables it made are unknown, and such a drop is reported as AG101 instead.',
    whyIsThisBad:
      'Autogenerate treats every table it does not know as orphaned and drops it. Those tables hold sessions, accounts, tokens or reference data owned by something else, and the drop wipes them.',
    example: 'def upgrade() -> None:\n    op.drop_table("session")\n    op.drop_table("account")',
    useInstead:
      '# alembic/env.py\nEXCLUDED_TABLES = {"user", "session", "account", "verification"}\n\n\ndef include_object(object, name, type_, reflected, compare_to):\n    if type_ == "table" and name in EXCLUDED_TABLES:\n        return False\n    return True\n\n# and in the migration: no drop of those tables',
    fix: 'Remove the drop (and its re-create in `downgrade()`) and add the table to `include_object` in env.py, creating the filter and wiring it into every `context.configure(...)` if needed; or do that for every unmanaged table of the migration at once.',
    origin: 'October 18, 2025: migration 82233f5589d3 dropped the Better Auth tables, which Alembic did not manage; all sessions, accounts and verification tokens were deleted.',
  },
  check({ migration, project, text, source }) {
    const unmanaged = tableDropsInUpgrade(migration, project, text.text).filter((d) => d.reason.kind === 'unmanaged');
    const envText = project.env ? source(project.env.file) : undefined;
    const removal = (drops: TableDrop[]): TextEdit[] =>
      removeDropEdits(
        migration,
        text,
        drops
          .filter((d) => d.statement)
          .flatMap((d) => [...tableDropCompanions(migration, d.table), { statement: d.statement!, isRecreate: (op: OpCall) => op.name === 'create_table' && op.table === d.table }]),
      ).edits;
    const envEdit = (tables: string[]): FileEdit[] => (project.env && envText ? [excludeTablesInEnv(project.env, envText, tables)] : []);
    return unmanaged.map((drop) => {
      const fixes: Fix[] = [];
      if (drop.statement) {
        fixes.push({
          title: project.env
            ? `Remove the drop of "${drop.table}" and exclude it in env.py's include_object`
            : `Remove the drop of "${drop.table}"`,
          edits: [{ file: migration.path, edits: removal([drop]) }, ...envEdit([drop.table])],
          preferred: true,
        });
      }
      const removable = unmanaged.filter((d) => d.statement);
      if (removable.length > 1 && drop.statement) {
        fixes.push({
          title: `Remove the drops of all ${removable.length} unmanaged tables of this migration and exclude them in env.py`,
          edits: [{ file: migration.path, edits: removal(removable) }, ...envEdit(removable.map((d) => d.table))],
        });
      }
      const excluded = project.env?.excludedTables.has(drop.table);
      const shown = drop.op?.schema ? `${drop.op.schema}.${drop.table}` : drop.table;
      return {
        file: migration.path,
        range: text.rangeOf(drop.span.start, drop.span.end),
        message: excluded
          ? `upgrade() drops "${shown}", which env.py excludes from autogenerate: it is managed outside Alembic`
          : `upgrade() drops "${shown}", which no migration created and no model defines: it is managed outside Alembic`,
        fixes,
      };
    });
  },
};
