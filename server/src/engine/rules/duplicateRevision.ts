import type { ProjectRule } from './rule';

export const duplicateRevision: ProjectRule = {
  code: 'AG603',
  name: 'duplicate-revision',
  scope: 'project',
  defaultSeverity: 'error',
  summary: 'two files with one revision id',
  docs: {
    whatItDoes: 'Flags every migration file whose `revision` id another file of the chain also declares.',
    whyIsThisBad:
      'Alembic keeps only one of them ("Revision … is present more than once"): the other migration silently never runs, and which one wins depends on file order. It happens when a file is copied to start a new migration.',
    example: '# 29672f48c359_add_subscriptions.py and 29672f48c359_add_subscriptions_copy.py\nrevision = "29672f48c359"',
    useInstead: '# generate a new migration instead of copying one\n# alembic revision -m "add subscription tiers"\nrevision = "c8a88100c2ca"',
    fix: 'Not mechanical: give the copy a new id with `alembic revision` and move its operations there.',
    origin: 'A team that documents its chain by revision id, and reset its database eight times when the chain stopped making sense.',
  },
  check({ project, source }) {
    return [...project.graph.duplicates.entries()].flatMap(([id, migrations]) =>
      migrations.flatMap((migration) => {
        const text = source(migration.path);
        const span = migration.revision?.valueSpan;
        if (!text || !span) return [];
        const others = migrations.filter((m) => m !== migration).map((m) => m.path.split(/[\\/]/).pop());
        return [{ file: migration.path, range: text.rangeOf(span.start, span.end), message: `revision "${id}" is also declared by ${others.join(', ')}: Alembic keeps only one of them`, fixes: [] }];
      }),
    );
  },
};
