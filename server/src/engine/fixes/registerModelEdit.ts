import * as path from 'path';
import type { FileEdit, TextEdit } from '../analysis/finding';
import { AlembicProject } from '../project/alembicProject';
import { importedModuleNames, isLoaded } from '../project/importGraph';
import type { ModelDefinition } from '../project/modelRegistry';
import { isWithin } from '../project/pathContainment';
import type { SourceText } from '../text/sourceText';
import { appendToListLiteral } from './listLiteralEdit';

export interface Registration {
  /** The file that gets the import: the nearest package `__init__.py` env.py loads, else env.py. */
  file: string;
  importLine: string;
}

/**
 * Where importing a model makes env.py load it, following how env.py collects the models it
 * loads: the module that imports the most of them (`app/db/base.py`, the models package's
 * `__init__.py`, env.py itself), written in that module's own import style; failing that, the
 * closest enclosing package whose `__init__.py` env.py already runs, or env.py.
 */
export function registrationFor(project: AlembicProject, model: ModelDefinition): Registration | undefined {
  if (!project.loaded || !project.envFile) return undefined;
  const moduleName = project.resolver.nameOf(model.file);
  if (!moduleName) return undefined;
  const symbol = model.kind === 'class' ? model.name : undefined;
  const collector = modelCollector(project, model);
  if (collector) return collectorRegistration(project, collector, moduleName, symbol);
  for (let dir = path.dirname(model.file); ; dir = path.dirname(dir)) {
    const init = path.join(dir, '__init__.py');
    const isOwnFile = init === model.file;
    if (!isOwnFile && project.modules.has(init) && isLoaded(project.loaded, init)) {
      const facts = project.modules.get(init)!;
      const packageName = project.resolver.nameOf(init);
      const relative = packageName && moduleName.startsWith(packageName + '.') ? moduleName.slice(packageName.length + 1) : undefined;
      const usesAbsolute = facts.imports.some((i) => i.level === 0 && packageName && i.modules[0]?.startsWith(packageName + '.'));
      const from = relative && !usesAbsolute ? `.${relative}` : moduleName;
      return { file: init, importLine: symbol ? `from ${from} import ${symbol}` : `import ${moduleName}  # noqa: F401` };
    }
    const parent = path.dirname(dir);
    if (parent === dir || !project.appPackages.some((pkg) => isWithin(dir, pkg))) break;
  }
  return {
    file: project.envFile,
    importLine: symbol ? `from ${moduleName} import ${symbol}  # noqa: F401` : `import ${moduleName}  # noqa: F401`,
  };
}

/**
 * The loaded module that imports the most modules defining loaded models (at least one): the
 * place the project lists its models. Modules that define models themselves only import what
 * their relationships need, so they are never it.
 */
function modelCollector(project: AlembicProject, model: ModelDefinition): string | undefined {
  const loaded = project.loaded!;
  const modelFiles = new Set(project.models.filter((m) => m.file !== model.file && isLoaded(loaded, m.file)).map((m) => m.file));
  let best: { file: string; count: number; distance: number } | undefined;
  for (const file of loaded.files) {
    const facts = project.modules.get(file);
    if (!facts || modelFiles.has(file)) continue;
    const imported = new Set<string>();
    for (const statement of facts.imports) {
      if (statement.typeCheckingOnly) continue;
      for (const name of importedModuleNames(project.resolver, file, statement)) {
        const target = project.resolver.fileOf(name);
        if (target && modelFiles.has(target)) imported.add(target);
      }
    }
    if (!imported.size) continue;
    const distance = path.relative(path.dirname(file), path.dirname(model.file)).split(path.sep).filter(Boolean).length;
    if (!best || imported.size > best.count || (imported.size === best.count && distance < best.distance)) best = { file, count: imported.size, distance };
  }
  return best?.file;
}

/** The import line for `collector`, in the style of the imports it already has. */
function collectorRegistration(project: AlembicProject, collector: string, moduleName: string, symbol: string | undefined): Registration {
  const facts = project.modules.get(collector)!;
  const packageName = path.basename(collector) === '__init__.py' ? project.resolver.nameOf(collector) : project.resolver.nameOf(collector)?.split('.').slice(0, -1).join('.');
  const relative = packageName && moduleName.startsWith(packageName + '.') ? `.${moduleName.slice(packageName.length + 1)}` : undefined;
  const usesRelative = facts.imports.some((i) => i.level > 0) && !facts.imports.some((i) => i.level === 0 && i.modules[0]?.startsWith(`${moduleName.split('.')[0]}.`));
  const plainImports = facts.imports.filter((i) => i.level === 0 && i.names.length === 0).length > facts.imports.filter((i) => i.names.length > 0).length;
  // A module that exists to be imported for its side effects (not a package's __init__) gets the linter's mark.
  const noqa = collector === project.envFile || path.basename(collector) !== '__init__.py' ? '  # noqa: F401' : '';
  if (!symbol || plainImports) return { file: collector, importLine: `import ${moduleName}${noqa}` };
  const from = relative && usesRelative ? relative : moduleName;
  return { file: collector, importLine: `from ${from} import ${symbol}${noqa}` };
}

/** Adds the import after the file's last top-level import, and the name to `__all__` if it has one. */
export function registerModelEdit(project: AlembicProject, model: ModelDefinition, registration: Registration, text: SourceText): FileEdit {
  const facts = project.modules.get(registration.file);
  const edits: TextEdit[] = [];
  const eol = text.eol;
  const insertionPoint = facts?.importInsertionPoint ?? 0;
  if (insertionPoint === 0) {
    edits.push({ range: text.rangeOf(0, 0), newText: registration.importLine + eol });
  } else {
    const line = text.positionAt(insertionPoint).line;
    const at = text.lineEnd(line);
    edits.push({ range: text.rangeOf(at, at), newText: eol + registration.importLine });
  }
  const all = facts?.all;
  if (all && model.kind === 'class' && !all.items.includes(model.name)) {
    edits.push(appendToListLiteral(text, all, [model.name]));
  }
  return { file: registration.file, edits };
}
