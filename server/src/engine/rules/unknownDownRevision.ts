import type { Report } from '../analysis/finding';
import type { ProjectRule } from './rule';

/** The id the author most likely meant: a unique id with this prefix, or within two edits. */
function closest(target: string, ids: string[]): string | undefined {
  const prefixed = ids.filter((id) => id.startsWith(target) || target.startsWith(id));
  if (prefixed.length === 1) return prefixed[0];
  const scored = ids.map((id) => ({ id, distance: editDistance(target, id) })).filter((s) => s.distance <= 2).sort((a, b) => a.distance - b.distance);
  return scored.length && (scored.length === 1 || scored[1].distance > scored[0].distance) ? scored[0].id : undefined;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

export const unknownDownRevision: ProjectRule = {
  code: 'AG602',
  name: 'unknown-down-revision',
  scope: 'project',
  defaultSeverity: 'error',
  summary: '`down_revision` or `depends_on` naming a revision that does not exist',
  docs: {
    whatItDoes: 'Flags a `down_revision` or `depends_on` value that names no revision (and no branch label) of the chain, and suggests the id that was probably meant.',
    whyIsThisBad:
      'Alembic cannot build the revision map: every command, including `alembic upgrade head` at deploy, fails with "Revision … referenced from … is not present". It usually follows a rebase, a deleted file, or a typo while resolving a merge conflict.',
    example: 'down_revision = "9b984a6823fe"  # the parent is 9b984a6823ef',
    useInstead: 'down_revision = "9b984a6823ef"',
    fix: 'Replace the id with the existing one it most likely means (a unique id with that prefix, or within two edits).',
    origin: "A team's post-mortem: a revision whose parent is missing stops every deploy (\"don't panic, don't force push\").",
  },
  check({ project, source }) {
    const ids = [...project.graph.revisions.keys()];
    const reports: Report[] = [];
    for (const missing of project.graph.missing) {
      const migration = missing.revision.migration;
      const assigned = missing.via === 'down_revision' ? migration.downRevision : migration.dependsOn;
      const literal = assigned?.strings.find((s) => s.value === missing.target);
      const text = source(migration.path);
      if (!literal || !text) continue;
      const guess = closest(missing.target, ids);
      const inner = { start: literal.span.start + 1, end: literal.span.end - 1 };
      reports.push({
        file: migration.path,
        range: text.rangeOf(literal.span.start, literal.span.end),
        message: `${missing.via} "${missing.target}" is not a revision of this chain${guess ? `: did you mean "${guess}"?` : ''}`,
        fixes: guess
          ? [{ title: `Change to "${guess}" (${project.graph.get(guess)!.migration.header?.message ?? 'no message'})`, edits: [{ file: migration.path, edits: [{ range: text.rangeOf(inner.start, inner.end), newText: guess }] }], preferred: true }]
          : [],
      });
    }
    return reports;
  },
};
