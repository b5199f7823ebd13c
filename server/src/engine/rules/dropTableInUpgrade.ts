import { asDropOnBranch } from '../analysis/contractBranchDrop';
import { tableDropsInUpgrade } from '../analysis/tableDrops';
import { dropUndoFixes, tableDropCompanions } from '../fixes/dropUndoFixes';
import type { MigrationRule } from './rule';

export const dropTableInUpgrade: MigrationRule = {
  code: 'AG101',
  name: 'drop-table-in-upgrade',
  scope: 'migration',
  defaultSeverity: 'error',
  summary: '`op.drop_table` or `DROP TABLE` inside `upgrade()`',
  docs: {
    whatItDoes: 'Flags a table dropped by `upgrade()`, through `op.drop_table(...)` or `DROP TABLE` in SQL run by the migration. On the `contract` branch of a project that keeps expand and contract branches, where drops belong, the finding is information.',
    whyIsThisBad:
      'Dropping a table deletes every row in it, and no downgrade brings the rows back. Autogenerate writes `op.drop_table` whenever a table exists in the database but not in the metadata it was shown, so an unintended drop is the most common way Alembic loses data.',
    example: 'def upgrade() -> None:\n    op.drop_table("invite_codes")',
    useInstead:
      '# Drops belong in downgrade(), as the inverse of a create_table.\n# A table that really must go is dropped in a migration of its own, after a backup, and says why:\ndef upgrade() -> None:\n    # alembic-guard: ignore[AG101] invite codes removed for public launch, rows exported to S3\n    op.drop_table("invite_codes")',
    fix: 'Remove the drop and its re-create in `downgrade()` (autogenerate\'s inverse), or move the drop to `downgrade()`.',
    origin: "Autogenerate dropped a team's Better Auth tables (every session and account deleted) and, elsewhere, a journey_templates table whose model was never imported; both teams' guides now say \"NEVER drop tables in regular migrations\".",
  },
  check({ migration, project, text }) {
    return tableDropsInUpgrade(migration, project, text.text)
      .filter((drop) => drop.reason.kind === 'plain')
      .map((drop) =>
        asDropOnBranch(project, migration, {
          file: migration.path,
          range: text.rangeOf(drop.span.start, drop.span.end),
          message: `upgrade() drops table "${drop.table}" and every row in it`,
          fixes: dropUndoFixes(
            migration,
            text,
            { label: `table "${drop.table}"`, statement: drop.statement, batched: false, companions: tableDropCompanions(migration, drop.table) },
            (op) => op.name === 'create_table' && op.table === drop.table,
          ),
        }),
      );
  },
};
