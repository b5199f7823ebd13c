import { tableDropsInUpgrade } from '../analysis/tableDrops';
import type { MigrationRule } from './rule';

export const tableRecreated: MigrationRule = {
  code: 'AG105',
  name: 'table-recreated',
  scope: 'migration',
  defaultSeverity: 'error',
  summary: 'a table dropped and created again in one `upgrade()`, including a rename done as drop + create',
  docs: {
    whatItDoes:
      'Flags an `upgrade()` that drops a table and creates it again, or creates a table with the same columns under a new name and drops the old one (how autogenerate renders a renamed `__tablename__`).',
    whyIsThisBad:
      'The new table starts empty: every row of the old one is lost, although the schema after the migration looks right. Reviewers miss it because both halves look routine.',
    example: 'def upgrade() -> None:\n    op.drop_table("accounts")\n    op.create_table("accounts", sa.Column("id", sa.Integer(), primary_key=True), ...)',
    useInstead:
      'def upgrade() -> None:\n    op.alter_column("accounts", "balance", type_=sa.DECIMAL(15, 2), existing_type=sa.Integer())\n    op.rename_table("accounts", "ledgers")  # keeps every row',
    fix: 'Not mechanical: rewrite as ALTER operations. Ignore with a reason when the data is disposable.',
    origin: 'A team that reset its database eight times after model–migration drift now writes "Use ALTER, not DROP + CREATE": a table dropped and re-created loses every row.',
  },
  check({ migration, project, text }) {
    return tableDropsInUpgrade(migration, project, text.text).flatMap((drop) => {
      const reason = drop.reason;
      if (reason.kind !== 'recreated' && reason.kind !== 'renamed-by-recreate') return [];
      const message =
        reason.kind === 'recreated'
          ? `upgrade() drops table "${drop.table}" and creates it again: every row is lost; alter it instead`
          : `upgrade() creates "${reason.create.table}" with the columns of "${drop.table}" and drops "${drop.table}": a rename that loses every row; use op.rename_table`;
      return [{ file: migration.path, range: text.rangeOf(drop.span.start, drop.span.end), message, fixes: [] }];
    });
  },
};
