import type { Report } from '../analysis/finding';
import type { SyntaxErrorPlace } from '../python/syntaxError';
import type { ProjectRule } from './rule';

export const unparseableFile: ProjectRule = {
  code: 'AG001',
  name: 'unparseable-file',
  scope: 'project',
  defaultSeverity: 'error',
  summary: 'a project file that cannot be read as Python (syntax error, NUL or undecodable bytes)',
  docs: {
    whatItDoes:
      'Reports, at the line where reading stops, a migration, `env.py` or a module `env.py` loads that Python\'s grammar cannot read, or that holds NUL bytes or bytes that are not UTF-8. The rest of the file is still read as far as it can be: a migration whose `revision` and `down_revision` can be read keeps its place in the chain.',
    whyIsThisBad:
      'Alembic cannot import the file: `alembic upgrade` stops there, on every database. And what cannot be read cannot be checked: findings the file would have had may be missing until it parses.',
    example: 'def upgrade() -> None:\n    op.add_column("users", sa.Column("phone", sa.String()\n',
    useInstead: 'def upgrade() -> None:\n    op.add_column("users", sa.Column("phone", sa.String()))\n',
    fix: 'Not mechanical: repair the file where it is reported.',
    origin: 'Every file is read or reported: a check that skipped files silently would pass a chain Alembic cannot run.',
  },
  check({ project, source }) {
    const reports: Report[] = [];
    const report = (file: string, error: SyntaxErrorPlace | undefined) => {
      const text = source(file);
      if (!text) return;
      const nul = text.text.indexOf('\u0000');
      const undecodable = text.text.indexOf('\uFFFD');
      if (nul >= 0) reports.push({ file, range: text.rangeOf(nul, nul + 1), message: 'this file holds a NUL byte: Python cannot read it', fixes: [] });
      else if (undecodable >= 0) reports.push({ file, range: text.rangeOf(undecodable, undecodable + 1), message: 'this file holds bytes that are not UTF-8: Python cannot read it (save it as UTF-8)', fixes: [] });
      else if (error) reports.push({ file, range: text.rangeOf(error.span.start, Math.max(error.span.start + 1, Math.min(error.span.end, text.lineEnd(text.positionAt(error.span.start).line)))), message: `Python cannot read this file: ${error.what}`, fixes: [] });
    };
    // Every migration's text is looked at: NUL and undecodable bytes can sit where the grammar still recovers.
    for (const migration of project.migrations) report(migration.path, migration.syntaxError);
    for (const [file, facts] of project.modules) {
      if (!facts.hasSyntaxErrors) continue;
      if (file === project.envFile || project.loaded?.files.has(file)) report(file, facts.syntaxError);
    }
    return reports;
  },
};
