import * as path from 'path';
import type { FileEdit } from '../analysis/finding';
import { AlembicProject, unloadedModels } from '../project/alembicProject';
import { isLoaded } from '../project/importGraph';
import type { ProjectRule } from './rule';

/**
 * env.py loads its Base but not one model: every model is invisible. That is one mistake
 * (env.py imports the wrong module), reported once, instead of AG201 on every model.
 */
export function envLoadsNoModel(project: AlembicProject): boolean {
  if (!project.loaded || !project.env?.targetMetadata) return false;
  const unloaded = unloadedModels(project);
  if (!unloaded.length || project.models.some((m) => isLoaded(project.loaded!, m.file))) return false;
  // A loaded models package that imports nothing is AG201's case: register the models there.
  return !unloaded.some((m) => isLoaded(project.loaded!, path.join(path.dirname(m.file), '__init__.py')));
}

/** The package that holds most of the unloaded models: what env.py should import. */
function modelsPackage(project: AlembicProject): string | undefined {
  const counts = new Map<string, number>();
  for (const model of unloadedModels(project)) {
    const name = project.resolver.nameOf(path.dirname(model.file) + path.sep + '__init__.py');
    if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

export const envModelsNotImported: ProjectRule = {
  code: 'AG205',
  name: 'env-models-not-imported',
  scope: 'project',
  defaultSeverity: 'error',
  summary: '`env.py` takes `target_metadata` from a Base but never imports the models',
  docs: {
    whatItDoes:
      'Flags `env.py` when its `target_metadata` comes from a declarative Base but `env.py` loads neither a single model class nor the packages that hold them (for example `from app.db.base_class import Base` with the models in `app/models/`). This one finding replaces AG201 on every model.',
    whyIsThisBad:
      'The metadata autogenerate compares against is empty: the next `alembic revision --autogenerate` proposes to drop every table of the application.',
    example: '# alembic/env.py\nfrom app.db.base_class import Base\n\ntarget_metadata = Base.metadata',
    useInstead: '# alembic/env.py\nfrom app.db.base_class import Base\nimport app.models  # noqa: F401  (registers every model on Base.metadata)\n\ntarget_metadata = Base.metadata',
    fix: 'Import the package that holds the models in env.py, next to the Base import.',
    origin: "The journey_templates incident: \"Alembic only sees models that are imported. If a model isn't imported, Alembic thinks the table should be removed!\"",
  },
  check({ project, source }) {
    if (!envLoadsNoModel(project)) return [];
    const env = project.env!;
    const text = source(env.file);
    const target = env.targetMetadata!;
    if (!text) return [];
    const pkg = modelsPackage(project);
    const count = unloadedModels(project).length;
    const fixes = [];
    if (pkg) {
      const facts = project.modules.get(env.file);
      const at = facts?.importInsertionPoint ? text.lineEnd(text.positionAt(facts.importInsertionPoint).line) : 0;
      const edit: FileEdit = { file: env.file, edits: [{ range: text.rangeOf(at, at), newText: `${at ? text.eol : ''}import ${pkg}  # noqa: F401  (registers the models on target_metadata)${at ? '' : text.eol}` }] };
      fixes.push({ title: `Import ${pkg} in env.py`, edits: [edit], preferred: true });
    }
    return [
      {
        file: env.file,
        range: text.rangeOf(target.span.start, target.span.end),
        message: `target_metadata${target.root ? ` comes from ${target.root}, but` : ':'} env.py loads none of the ${count} models${pkg ? ` of ${pkg}` : ''}: autogenerate sees an empty schema and would drop every table`,
        fixes,
      },
    ];
  },
};
