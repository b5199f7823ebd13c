import type { Fix } from '../analysis/finding';
import { appendToFunction } from '../fixes/functionBodyInsertion';
import { databaseOfCode } from '../analysis/codeBranch';
import { runsAt } from '../migration/executionOrder';
import type { ForeignKeyDefinition, OpCall } from '../migration/migrationFile';
import { createdName } from '../migration/objectNames';
import { createdColumns } from '../project/alembicProject';
import type { MigrationRule } from './rule';

export const foreignKeyNeverCreated: MigrationRule = {
  code: 'AG513',
  name: 'foreign-key-never-created',
  scope: 'migration',
  defaultSeverity: 'warning',
  summary: 'a `use_alter=True` foreign key inside `op.create_table` (Alembic never emits it)',
  docs: {
    whatItDoes: 'Flags a `ForeignKey(..., use_alter=True)` or `ForeignKeyConstraint(..., use_alter=True)` inside `op.create_table(...)` in `upgrade()`, unless a later `op.create_foreign_key` of the same upgrade creates it. Not on SQLite, where SQLAlchemy writes it inside CREATE TABLE.',
    whyIsThisBad:
      '`use_alter` tells `metadata.create_all` to add the constraint with a separate ALTER after every table exists; `op.create_table` leaves it out and never adds it. The migration runs, the model says the foreign key exists, the database has none: orphan rows go in unchecked and autogenerate keeps proposing it.',
    example: 'op.create_table(\n    "users",\n    sa.Column("id", sa.Integer(), primary_key=True),\n    sa.Column("team_id", sa.Integer(), sa.ForeignKey("teams.id", use_alter=True, name="fk_users_team_id")),\n)',
    useInstead: 'op.create_table("users", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("team_id", sa.Integer()))\n# once both tables exist:\nop.create_foreign_key("fk_users_team_id", "users", "teams", ["team_id"], ["id"])',
    fix: 'Add `op.create_foreign_key(...)` for it at the end of `upgrade()`, after every table it needs exists.',
    origin: "Alembic's operation reference: `create_table` emits only the constraints that are not `use_alter`; PostgreSQL's documentation on foreign keys.",
  },
  check({ migration, project, text }) {
    const upgrade = migration.functions.find((f) => f.phase === 'upgrade');
    const laterForeignKeys = migration.ops.filter((op) => op.phase === 'upgrade' && op.name === 'create_foreign_key');
    // Created afterwards by op.create_foreign_key, as autogenerate's own output for use_alter does.
    const createdLater = (table: string, fk: ForeignKeyDefinition, after: OpCall) =>
      laterForeignKeys.some((create) => {
        if (create.table !== table || runsAt(create) < runsAt(after)) return false;
        const name = createdName(create);
        if (fk.name && name) return name === fk.name;
        const columns = createdColumns(create);
        return !columns || columns.join(',') === fk.columns.join(',');
      });
    return migration.ops
      .filter((op) => op.phase === 'upgrade' && op.name === 'create_table' && op.table)
      // SQLite has no ALTER … ADD CONSTRAINT: SQLAlchemy writes use_alter foreign keys inside its CREATE TABLE.
      .filter((op) => databaseOfCode(project, op.guard) !== 'sqlite')
      .flatMap((op) => {
        const deferred = op.elements
          .flatMap((e) => (e.kind === 'column' ? e.column.foreignKeys : e.kind === 'foreign_key' ? [e.foreignKey] : []))
          .filter((fk) => fk.useAlter && !createdLater(op.table!, fk, op));
        return deferred.map((fk) => {
          const line = createForeignKeyLine(op.table!, fk, op.schema);
          const fixes: Fix[] =
            upgrade && line
              ? [{ title: `Create the foreign key at the end of upgrade()`, edits: [{ file: migration.path, edits: [appendToFunction(text, upgrade, [upgrade.indent + line])] }], preferred: true }]
              : [];
          return {
            file: migration.path,
            range: text.rangeOf(op.callSpan.start, op.callSpan.end),
            message: `the foreign key ${fk.name ? `"${fk.name}" ` : ''}of "${op.table}" (${fk.columns.join(', ')}) → "${fk.referredTable ?? '?'}" has use_alter=True: op.create_table never creates it`,
            fixes,
          };
        });
      });
  },
};

function createForeignKeyLine(table: string, fk: ForeignKeyDefinition, schema: string | undefined): string | undefined {
  if (!fk.referredTable || !fk.columns.length || fk.referredColumns.length !== fk.columns.length) return undefined;
  const q = (s: string) => JSON.stringify(s);
  const name = fk.name ? q(fk.name) : 'None';
  const schemas = schema ? `, source_schema=${q(schema)}` : '';
  const referredSchema = fk.referredSchema ? `, referent_schema=${q(fk.referredSchema)}` : '';
  return `op.create_foreign_key(${name}, ${q(table)}, ${q(fk.referredTable)}, [${fk.columns.map(q).join(', ')}], [${fk.referredColumns.map(q).join(', ')}]${schemas}${referredSchema})`;
}
