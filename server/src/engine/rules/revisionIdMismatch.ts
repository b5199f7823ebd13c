import * as path from 'path';
import type { Report } from '../analysis/finding';
import type { ProjectRule } from './rule';

export const revisionIdMismatch: ProjectRule = {
  code: 'AG605',
  name: 'revision-id-mismatch',
  scope: 'project',
  defaultSeverity: 'warning',
  summary: '`revision` differs from the docstring\'s `Revision ID:` or from the file name',
  docs: {
    whatItDoes:
      'Flags a migration whose `revision` variable disagrees with the `Revision ID:` line of its docstring, or whose file name (with the default `%(rev)s_%(slug)s` template) starts with another id.',
    whyIsThisBad:
      'Alembic only reads the variable; people read the docstring and the file name. After a copy or a hand-edited rebase the three disagree, and reviewers, `git log` searches and incident notes point at the wrong migration.',
    example: '"""add receipt notes\n\nRevision ID: 82233f5589d3\n"""\nrevision = "c8a88100c2ca"',
    useInstead: '"""add receipt notes\n\nRevision ID: c8a88100c2ca\n"""\nrevision = "c8a88100c2ca"',
    fix: 'Set the docstring\'s `Revision ID:` to the `revision` value.',
    origin: 'A team that documents its chain by id ("29672f48c359 → Add subscriptions"): the id in the file name, the header and the code must agree.',
  },
  check({ project, source }) {
    const reports: Report[] = [];
    const defaultTemplate = !project.alembic.fileTemplate || project.alembic.fileTemplate.startsWith('%(rev)s');
    for (const migration of project.migrations) {
      const revision = migration.revision?.value;
      const text = source(migration.path);
      if (typeof revision !== 'string' || !text || !migration.revision) continue;
      const header = migration.header;
      if (header?.revisionId && header.revisionId !== revision) {
        const line = text.text.slice(header.span.start, header.span.end).search(/Revision ID:/);
        const at = header.span.start + line;
        const lineNumber = text.positionAt(at).line;
        const idStart = at + text.lineText(lineNumber).slice(text.positionAt(at).character).indexOf(header.revisionId);
        reports.push({
          file: migration.path,
          range: text.rangeOf(idStart, idStart + header.revisionId.length),
          message: `the docstring says Revision ID ${header.revisionId}, but revision = "${revision}"`,
          fixes: [
            {
              title: `Set the docstring's Revision ID to ${revision}`,
              edits: [{ file: migration.path, edits: [{ range: text.rangeOf(idStart, idStart + header.revisionId.length), newText: revision }] }],
              preferred: true,
            },
          ],
        });
      }
      const name = path.basename(migration.path, '.py');
      const prefix = /^([0-9a-f]{12})(?:_|$)/.exec(name)?.[1];
      if (defaultTemplate && prefix && prefix !== revision && !name.includes(revision)) {
        reports.push({
          file: migration.path,
          range: text.rangeOf(migration.revision.valueSpan.start, migration.revision.valueSpan.end),
          message: `the file name starts with ${prefix}, but revision = "${revision}"`,
          fixes: [],
        });
      }
    }
    return reports;
  },
};
