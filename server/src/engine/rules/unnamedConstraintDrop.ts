import type { Fix } from '../analysis/finding';
import type { OpCall } from '../migration/migrationFile';
import { createdColumns } from '../project/alembicProject';
import type { MigrationRule } from './rule';

const SUFFIX: Record<string, string> = { foreignkey: 'fkey', unique: 'key', primary: 'pkey' };
const CREATE_OF: Record<string, string> = { foreignkey: 'create_foreign_key', unique: 'create_unique_constraint', primary: 'create_primary_key' };

/** The name PostgreSQL gives an unnamed constraint: table_col1_col2_fkey / _key, or table_pkey. */
function postgresName(table: string, type: string, columns: string[]): string {
  const name = type === 'primary' ? `${table}_pkey` : `${table}_${columns.join('_')}_${SUFFIX[type]}`;
  return name.slice(0, 63);
}

export const unnamedConstraintDrop: MigrationRule = {
  code: 'AG303',
  name: 'unnamed-constraint-drop',
  scope: 'migration',
  defaultSeverity: 'error',
  summary: '`drop_constraint(None, …)` (fails at run time)',
  docs: {
    whatItDoes:
      'Flags `op.drop_constraint(None, …)` and `batch_op.drop_constraint(None, …)`. Autogenerate writes them when the model\'s constraint has no name; it usually sits in `downgrade()`, untested until the day a rollback is needed.',
    whyIsThisBad: 'Alembic cannot drop a constraint it cannot name: SQLAlchemy refuses to compile the statement ("Can\'t emit DROP CONSTRAINT for constraint … it has no name"; in batch mode "Constraint must have a name"), and the downgrade (or upgrade) stops there.',
    example: 'def downgrade() -> None:\n    op.drop_constraint(None, "receipts", type_="foreignkey")',
    useInstead: 'def downgrade() -> None:\n    op.drop_constraint("receipts_category_id_fkey", "receipts", type_="foreignkey")\n# better still: a naming convention on MetaData, so every constraint has a name',
    fix: 'Name the constraint as PostgreSQL named it (table_column_fkey, table_column_key, table_pkey), from the matching create in this migration or the chain.',
    origin: "Teams' migration guides: \"Test rollback: alembic downgrade -1\"; an unnamed constraint drop fails only when the rollback is finally needed.",
  },
  check({ migration, project, text }) {
    return migration.ops
      .filter((op) => op.name === 'drop_constraint' && op.arguments.get('constraint_name')?.value === null)
      .map((drop) => {
        const type = drop.arguments.get('type_')?.value;
        const nameArgument = drop.arguments.get('constraint_name')!;
        const fixes: Fix[] = [];
        if (typeof type === 'string' && drop.table && CREATE_OF[type]) {
          const create = findCreate(migration.ops, project.migrations.flatMap((m) => m.ops), drop.table, CREATE_OF[type]);
          const columns = create ? createdColumns(create) : undefined;
          if (type === 'primary' || columns?.length) {
            const name = postgresName(drop.table, type, columns ?? []);
            const quote = nameArgument.text === 'None' && /'/.test(drop.arguments.get('type_')!.text) ? "'" : '"';
            fixes.push({
              title: `Name the constraint "${name}" (as PostgreSQL named it)`,
              edits: [{ file: migration.path, edits: [{ range: text.rangeOf(nameArgument.span.start, nameArgument.span.end), newText: `${quote}${name}${quote}` }] }],
              preferred: true,
            });
          }
        }
        return {
          file: migration.path,
          range: text.rangeOf(drop.callSpan.start, drop.callSpan.end),
          message: `${drop.phase ?? 'this'}() drops a constraint without a name: SQLAlchemy cannot emit DROP CONSTRAINT for it, so it fails when it runs`,
          fixes,
        };
      });
  },
};

/** The unnamed create this drop undoes: in the same migration first, then anywhere in the chain. */
function findCreate(own: OpCall[], all: OpCall[], table: string, kind: string): OpCall | undefined {
  const matches = (op: OpCall) => op.name === kind && op.table === table && op.phase === 'upgrade';
  const local = own.filter(matches);
  if (local.length === 1) return local[0];
  const anywhere = all.filter(matches);
  return anywhere.length === 1 ? anywhere[0] : undefined;
}
