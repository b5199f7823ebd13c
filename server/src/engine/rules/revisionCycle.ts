import type { ProjectRule } from './rule';

export const revisionCycle: ProjectRule = {
  code: 'AG604',
  name: 'revision-cycle',
  scope: 'project',
  defaultSeverity: 'error',
  summary: 'a cycle in the revision graph',
  docs: {
    whatItDoes: 'Flags the `down_revision` (or `depends_on`) of every revision on a cycle: a revision that is, through its parents, its own ancestor.',
    whyIsThisBad: 'Alembic raises CycleDetected for every command; no migration of the chain can run until the cycle is broken.',
    example: '# a.py\nrevision = "aaaa"\ndown_revision = "bbbb"\n# b.py\nrevision = "bbbb"\ndown_revision = "aaaa"',
    useInstead: '# b.py\nrevision = "bbbb"\ndown_revision = None  # or the revision it really follows',
    fix: 'Not mechanical: point one of the revisions at its real parent.',
    origin: "A team's post-mortem on \"circular dependencies\u2026 causing table creation order issues\" and the database resets that followed.",
  },
  check({ project, source }) {
    const members = [...project.graph.cyclic];
    return members.flatMap((id) => {
      const migration = project.graph.get(id)!.migration;
      const text = source(migration.path);
      const span = migration.downRevision?.valueSpan ?? migration.dependsOn?.valueSpan;
      if (!text || !span) return [];
      return [{ file: migration.path, range: text.rangeOf(span.start, span.end), message: `revision "${id}" is on a cycle (${members.join(' → ')}): Alembic cannot order these revisions`, fixes: [] }];
    });
  },
};
