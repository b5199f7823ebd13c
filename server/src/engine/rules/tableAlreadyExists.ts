import type { MigrationRule } from './rule';

export const tableAlreadyExists: MigrationRule = {
  code: 'AG509',
  name: 'table-already-exists',
  scope: 'migration',
  defaultSeverity: 'error',
  summary: '`create_table` of a table an ancestor revision created and did not drop',
  docs: {
    whatItDoes: 'Flags `create_table` in `upgrade()` of a table that, following the revision graph from the base, already exists when this revision runs.',
    whyIsThisBad:
      'The upgrade fails with "relation … already exists" on every database that is up to date, and works only on fresh ones: CI passes, production fails. It appears after merges, copied migrations and re-generated initial migrations.',
    example: '# 644e419d84b5 created "users"; a later revision:\nop.create_table("users", ...)',
    useInstead: '# alter the existing table instead\nop.add_column("users", sa.Column("phone", sa.String(), nullable=True))',
    fix: 'Not mechanical: remove the create or turn it into the ALTER operations it meant.',
    origin: 'Seed 003: "8 Reset Cycles… Autogenerate Chaos: one massive migration trying to fix everything at once".',
  },
  check({ migration, project, text }) {
    const revision = project.graph.revisionOf(migration);
    const creates = migration.ops.some((op) => op.phase === 'upgrade' && op.name === 'create_table');
    if (!creates || !revision || project.graph.cyclic.has(revision.id)) return [];
    const existing = project.tables.before(revision.id);
    const dropped = new Set(migration.ops.filter((op) => op.phase === 'upgrade' && op.name === 'drop_table').map((op) => op.table));
    return migration.ops
      .filter((op) => op.phase === 'upgrade' && op.name === 'create_table' && op.table && existing.has(op.table) && !dropped.has(op.table))
      .map((op) => {
        const creator = project.createdTables.get(op.table!);
        return {
          file: migration.path,
          range: text.rangeOf(op.callSpan.start, op.callSpan.end),
          message: `"${op.table}" already exists when this revision runs${creator && creator.file !== migration.path ? ` (created by ${creator.file.split(/[\\/]/).pop()})` : ''}: the upgrade fails on up-to-date databases`,
          fixes: [],
        };
      });
  },
};
