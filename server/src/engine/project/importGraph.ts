import * as path from 'path';
import type { ModuleResolver } from './moduleResolver';
import { isWithin } from './pathContainment';
import type { PythonModuleFacts } from './pythonModule';

/** The project modules that run when an entry script (env.py) runs. */
export interface LoadedModules {
  files: Set<string>;
  /** Packages that load modules dynamically (importlib, pkgutil): everything below counts as loaded. */
  dynamicPackages: string[];
  /** How each file was reached, for explanations: file → the file that imported it. */
  importedBy: Map<string, string>;
}

export function isLoaded(loaded: LoadedModules, file: string): boolean {
  if (loaded.files.has(file)) return true;
  return loaded.dynamicPackages.some((dir) => isWithin(file, dir));
}

/**
 * Follows imports from `entry` through the project's own modules: `import a.b.c` runs
 * a/__init__.py, a/b/__init__.py and a/b/c.py; `from p import m` also runs submodule p.m;
 * star imports follow `__all__`; `if TYPE_CHECKING:` imports run nothing, and imports in
 * function bodies run only in the entry script (env.py calls its functions as it loads).
 */
export function followImports(
  entry: string,
  resolver: ModuleResolver,
  factsOf: (file: string) => PythonModuleFacts | undefined,
): LoadedModules {
  const loaded: LoadedModules = { files: new Set([entry]), dynamicPackages: [], importedBy: new Map() };
  const pending = [entry];
  const load = (moduleName: string | undefined, from: string) => {
    if (!moduleName) return;
    const parts = moduleName.split('.');
    for (let i = 1; i <= parts.length; i++) {
      const file = resolver.fileOf(parts.slice(0, i).join('.'));
      if (file && !loaded.files.has(file)) {
        loaded.files.add(file);
        loaded.importedBy.set(file, from);
        pending.push(file);
      }
    }
  };
  while (pending.length) {
    const file = pending.shift()!;
    const facts = factsOf(file);
    if (!facts) continue;
    if (facts.dynamicImports && file !== entry) loaded.dynamicPackages.push(path.dirname(file));
    for (const statement of facts.imports) {
      if (statement.typeCheckingOnly) continue;
      if (statement.inFunction && file !== entry) continue;
      if (statement.names.length === 0 && statement.level === 0) {
        for (const module of statement.modules) load(module, file);
        continue;
      }
      const base = resolver.resolveRelative(file, statement.level, statement.modules[0]);
      if (base === undefined) continue;
      load(base, file);
      const submodules = statement.names === '*' ? starSubmodules(base, resolver, factsOf) : statement.names;
      for (const name of submodules) {
        const qualified = base ? `${base}.${name}` : name;
        if (resolver.fileOf(qualified)) load(qualified, file);
      }
    }
  }
  return loaded;
}

/** `from pkg import *` imports the submodules a package lists in `__all__`. */
function starSubmodules(base: string, resolver: ModuleResolver, factsOf: (file: string) => PythonModuleFacts | undefined): string[] {
  const file = resolver.fileOf(base);
  if (!file || path.basename(file) !== '__init__.py') return [];
  return factsOf(file)?.all?.items ?? [];
}
