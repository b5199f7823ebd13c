import type { MigrationFile } from '../migration/migrationFile';
import type { AlembicProject } from '../project/alembicProject';
import type { SourceText } from '../text/sourceText';

/** How far back a copy made before the drop is looked for: the steps of one expand/backfill/contract sequence. */
const NEAREST = 20;

/**
 * Whether one of the revisions before this one (the nearest, down the chain) satisfies `test`:
 * a backfill into a new column or table in one revision, and the drop of the old one in a later
 * revision, are one move done in steps.
 */
export function someEarlierRevision(
  project: AlembicProject,
  migration: MigrationFile,
  source: (file: string) => SourceText | undefined,
  test: (earlier: MigrationFile, text: string) => boolean,
): boolean {
  const revision = project.graph.revisionOf(migration);
  if (!revision) return false;
  for (const id of project.graph.ancestors([revision.id], false).slice(1, NEAREST + 1)) {
    const earlier = project.graph.get(id)?.migration;
    const text = earlier ? source(earlier.path)?.text : undefined;
    if (earlier && text !== undefined && test(earlier, text)) return true;
  }
  return false;
}

/** A place after everything a migration's upgrade() does. */
export const END_OF_UPGRADE = { callSpan: { start: Number.MAX_SAFE_INTEGER, end: Number.MAX_SAFE_INTEGER } };
