import type { MigrationFile } from '../migration/migrationFile';
import { effectsOf } from '../schema/statementEffects';
import type { MigrationRule } from './rule';

export const tableAlreadyExists: MigrationRule = {
  code: 'AG509',
  name: 'table-already-exists',
  scope: 'migration',
  defaultSeverity: 'error',
  summary: '`create_table` of a table an ancestor revision created and did not drop',
  docs: {
    whatItDoes: 'Flags `create_table` in `upgrade()` of a table that, following the revision graph from the base, another migration created and nothing dropped before this revision runs. Tables are told apart by schema and name; a create inside an `if` or a `try` (guarded) is not reported.',
    whyIsThisBad:
      'The upgrade fails with "relation … already exists" on every database that is up to date, and works only on fresh ones: CI passes, production fails. It appears after merges, copied migrations and re-generated initial migrations.',
    example: '# 644e419d84b5 created "users"; a later revision:\nop.create_table("users", ...)',
    useInstead: '# alter the existing table instead\nop.add_column("users", sa.Column("phone", sa.String(), nullable=True))',
    fix: 'Not mechanical: remove the create or turn it into the ALTER operations it meant.',
    origin: 'A team that reset its database eight times after "one massive migration trying to fix everything at once" re-created tables that already existed.',
  },
  check({ migration, project, text }) {
    const revision = project.graph.revisionOf(migration);
    const creates = migration.ops.filter((op) => op.phase === 'upgrade' && op.name === 'create_table' && op.table);
    if (!creates.length || !revision) return [];
    const existing = project.schema.before(revision.id);
    return creates
      .filter((op) => {
        // A create under a condition or in a try block is guarded: it runs only when it can.
        if (op.guard) return false;
        const table = existing.table(op.table!, op.schema);
        // Only a table a migration created is known to exist; one inferred from an ALTER may be another database's.
        if (!table?.createdBy || table.temporary) return false;
        const droppedBefore = migration.ops.some((d) => d.phase === 'upgrade' && d.name === 'drop_table' && d.table === op.table && d.schema === op.schema && d.callSpan.start < op.callSpan.start);
        return !droppedBefore && !droppedBySqlBefore(migration, op.table!, op.callSpan.start);
      })
      .map((op) => {
        const creator = existing.table(op.table!, op.schema)!.createdBy!;
        const creatorFile = project.graph.get(creator.revision)?.migration.path;
        return {
          file: migration.path,
          range: text.rangeOf(op.callSpan.start, op.callSpan.end),
          message: `"${op.schema ? `${op.schema}.` : ''}${op.table}" already exists when this revision runs${creatorFile && creatorFile !== migration.path ? ` (created by ${creatorFile.split(/[\\/]/).pop()})` : ''}: the upgrade fails on up-to-date databases`,
          fixes: [],
        };
      });
  },
};

function droppedBySqlBefore(migration: MigrationFile, table: string, offset: number): boolean {
  return migration.sql.some((sql) => sql.phase === 'upgrade' && sql.callSpan.start < offset && effectsOf(sql).some((e) => e.kind === 'drop_table' && e.tables.includes(table)));
}
