import type { Fix, Report } from '../analysis/finding';
import { registerModelEdit, registrationFor } from '../fixes/registerModelEdit';
import { displayPath, unloadedModels } from '../project/alembicProject';
import { envLoadsNoModel } from './envModelsNotImported';
import type { ProjectRule } from './rule';

export const modelNotRegistered: ProjectRule = {
  code: 'AG201',
  name: 'model-not-registered',
  scope: 'project',
  defaultSeverity: 'error',
  summary: 'a mapped class whose module is never loaded when `env.py` runs, so autogenerate cannot see it',
  docs: {
    whatItDoes:
      'Follows `env.py`\'s imports through the project (`import a.b` also runs `a/__init__.py`; star imports follow `__all__`; imports under `if TYPE_CHECKING:` run nothing) and flags every mapped class (`__tablename__`, `__table__`, SQLModel `table=True`, `Table(...)`) whose module is never loaded. It is reported on the class and in the models package\'s `__init__.py`.',
    whyIsThisBad:
      'Autogenerate compares the database with the metadata it was shown. A model whose module was never imported is not in that metadata, so the next `alembic revision --autogenerate` writes `op.drop_table(...)` for its table, with all its rows.',
    example: '# app/models/__init__.py\nfrom .user import User\nfrom .receipt import Receipt\n# app/models/journey_template.py defines JourneyTemplate, imported nowhere',
    useInstead: '# app/models/__init__.py\nfrom .user import User\nfrom .receipt import Receipt\nfrom .journey_template import JourneyTemplate\n\n__all__ = ["User", "Receipt", "JourneyTemplate"]',
    fix: 'Register the model: import it in the models package `__init__.py` that env.py loads (and add it to `__all__` when there is one); env.py itself when no package is loaded.',
    origin: 'The journey_templates incident: the model was never imported in app/models/__init__.py, so autogenerate proposed dropping its table, and it was dropped in production.',
  },
  check({ project, source }) {
    const reports: Report[] = [];
    // When env.py loads no model at all, AG205 reports that once on env.py.
    if (envLoadsNoModel(project)) return reports;
    for (const model of unloadedModels(project)) {
      const modelText = source(model.file);
      const registration = registrationFor(project, model);
      if (!modelText || !registration) continue;
      const targetText = source(registration.file);
      if (!targetText) continue;
      const targetName = displayPath(project, registration.file);
      const table = model.tablename ? ` table "${model.schema ? `${model.schema}.` : ''}${model.tablename}"` : ' its table';
      const fix: Fix = {
        title: `Register ${model.name} in ${targetName}`,
        edits: [registerModelEdit(project, model, registration, targetText)],
        preferred: true,
      };
      reports.push({
        file: model.file,
        range: modelText.rangeOf(model.span.start, model.span.end),
        message: `${model.name} is never imported when env.py runs, so autogenerate cannot see it and will drop${table}`,
        fixes: [fix],
      });
      const facts = project.modules.get(registration.file);
      const anchor = facts?.all?.span ?? { start: facts?.importInsertionPoint ?? 0, end: facts?.importInsertionPoint ?? 0 };
      const line = targetText.positionAt(anchor.start).line;
      const range = facts?.all ? targetText.rangeOf(anchor.start, anchor.end) : targetText.rangeOf(targetText.lineStart(line), targetText.lineEnd(line));
      reports.push({
        file: registration.file,
        range,
        message: `${model.name} (${displayPath(project, model.file)}) is not imported here, so autogenerate cannot see${table}`,
        fixes: [fix],
      });
    }
    return reports;
  },
};
