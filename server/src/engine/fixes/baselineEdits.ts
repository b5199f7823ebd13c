import * as path from 'path';
import type { FileEdit } from '../analysis/finding';
import type { AlembicProject } from '../project/alembicProject';
import { withStartAfter } from '../project/guardSettingEdit';
import { SourceText } from '../text/sourceText';

/**
 * The edits that declare each project's history applied: `start-after` in the pyproject.toml that
 * configures it (created beside alembic.ini when there is none) set to `revisions`, or to the
 * project's current heads. What `alembic-guard baseline` writes and the editor's command applies.
 */
export function baselineEdits(projects: AlembicProject[], textOf: (file: string) => string | undefined, revisions?: string[]): FileEdit[] {
  const byFile = new Map<string, string[]>();
  for (const project of projects) {
    const chosen = revisions?.length ? revisions : project.graph.heads;
    if (!chosen.length || chosen.some((r) => !project.graph.get(r))) continue;
    const file = project.guard.source ?? path.join(project.root, 'pyproject.toml');
    byFile.set(file, [...new Set([...(byFile.get(file) ?? []), ...chosen])]);
  }
  return [...byFile].map(([file, chosen]) => {
    const before = textOf(file);
    const text = new SourceText(before ?? '');
    return { file, create: before === undefined, edits: [{ range: text.rangeOf(0, text.text.length), newText: withStartAfter(before ?? '', chosen) }] };
  });
}
