import * as path from 'path';
import type { Fix } from '../analysis/finding';
import type { AlembicProject } from '../project/alembicProject';
import { withIgnoredCode } from '../project/guardSettingEdit';
import type { SourceText } from '../text/sourceText';

/**
 * `CODE` added to `ignore` in the pyproject.toml that configures the project (or the one beside
 * alembic.ini, created when there is none): the whole team stops seeing the rule. Undefined when
 * that file is not valid TOML (the edit could not be made without guessing).
 */
export function disableRuleFix(project: AlembicProject, code: string, source: (file: string) => SourceText | undefined): Fix | undefined {
  const file = project.guard.source ?? path.join(project.root, 'pyproject.toml');
  const text = source(file);
  const exists = text !== undefined;
  const current = text?.text ?? '';
  const updated = withIgnoredCode(current, code);
  if (updated === undefined || updated === current) return undefined;
  const whole = text ? text.rangeOf(0, current.length) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return {
    title: `Disable ${code} in ${path.basename(path.dirname(file))}/pyproject.toml`,
    edits: [{ file, create: !exists, edits: [{ range: whole, newText: updated }] }],
  };
}
