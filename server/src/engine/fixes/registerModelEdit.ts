import * as path from 'path';
import type { FileEdit, TextEdit } from '../analysis/finding';
import { AlembicProject } from '../project/alembicProject';
import { isLoaded } from '../project/importGraph';
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
 * Where importing a model makes env.py load it: the closest enclosing package whose
 * `__init__.py` env.py already runs (a models package), or env.py itself.
 */
export function registrationFor(project: AlembicProject, model: ModelDefinition): Registration | undefined {
  if (!project.loaded || !project.envFile) return undefined;
  const moduleName = project.resolver.nameOf(model.file);
  if (!moduleName) return undefined;
  const symbol = model.kind === 'class' ? model.name : undefined;
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
