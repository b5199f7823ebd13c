import * as path from 'path';
import type { ModuleResolver } from './moduleResolver';
import { isWithin } from './pathContainment';
import type { ImportStatement, PythonModuleFacts } from './pythonModule';

/** The project modules that run when an entry script (env.py) runs. */
export interface LoadedModules {
  files: Set<string>;
  /** Packages that load modules dynamically (importlib, pkgutil): everything below counts as loaded. */
  dynamicPackages: string[];
}

export function isLoaded(loaded: LoadedModules, file: string): boolean {
  if (loaded.files.has(file)) return true;
  return loaded.dynamicPackages.some((dir) => isWithin(file, dir));
}

/**
 * Follows imports from `entry` through the project's own modules: `import a.b.c` runs
 * a/__init__.py, a/b/__init__.py and a/b/c.py; `from p import m` also runs submodule p.m;
 * star imports follow `__all__`; `if TYPE_CHECKING:` imports run nothing, and imports in
 * function bodies run only in the entry script (env.py calls its functions as it loads) or
 * in functions the entry script imports and calls.
 */
export function followImports(
  entry: string,
  resolver: ModuleResolver,
  factsOf: (file: string) => PythonModuleFacts | undefined,
): LoadedModules {
  const loaded: LoadedModules = { files: new Set([entry]), dynamicPackages: [] };
  const pending = [entry];
  // Functions the entry script calls after importing them (an app factory such as create_app):
  // their imports run too. Keyed by the file that defines them.
  const calledFunctions = new Map<string, Set<string>>();
  const load = (moduleName: string | undefined) => {
    if (!moduleName) return;
    const parts = moduleName.split('.');
    for (let i = 1; i <= parts.length; i++) {
      const file = resolver.fileOf(parts.slice(0, i).join('.'));
      if (file && !loaded.files.has(file)) {
        loaded.files.add(file);
        pending.push(file);
      }
    }
  };
  const entryFacts = factsOf(entry);
  for (const statement of entryFacts?.imports ?? []) {
    if (statement.typeCheckingOnly || statement.names === '*' || statement.names.length === 0) continue;
    const base = resolver.resolveRelative(entry, statement.level, statement.modules[0]);
    const file = base ? resolver.fileOf(base) : undefined;
    if (!file) continue;
    for (const [local, imported] of statement.bindings) {
      if (entryFacts!.calledNames.has(local)) calledFunctions.set(file, new Set([...(calledFunctions.get(file) ?? []), imported]));
    }
  }
  while (pending.length) {
    const file = pending.shift()!;
    const facts = factsOf(file);
    if (!facts) continue;
    const called = calledFunctions.get(file);
    if (facts.dynamicImports && file !== entry) {
      // A loader env.py calls (`import_all_models()` walking the package with importlib) may load anything of its top package.
      const top = called ? resolver.nameOf(file)?.split('.')[0] : undefined;
      const topFile = top ? resolver.fileOf(top) : undefined;
      loaded.dynamicPackages.push(topFile && path.basename(topFile) === '__init__.py' ? path.dirname(topFile) : path.dirname(file));
    }
    for (const statement of facts.imports) {
      if (statement.typeCheckingOnly) continue;
      if (statement.inFunction && file !== entry && !called?.has(statement.inFunction)) continue;
      for (const name of importedModuleNames(resolver, file, statement, (base) => starSubmodules(base, resolver, factsOf))) load(name);
    }
  }
  return loaded;
}

/**
 * What an import statement may run, as dotted names: each module of `import a.b`; for
 * `from p import a, b`, `p` itself and `p.a`, `p.b` (modules only where such files exist); for
 * `from p import *`, `p` and the submodules `starNames(p)` gives.
 */
export function importedModuleNames(resolver: ModuleResolver, file: string, statement: ImportStatement, starNames: (base: string) => string[] = () => []): string[] {
  if (statement.names.length === 0 && statement.level === 0) return statement.modules;
  const base = resolver.resolveRelative(file, statement.level, statement.modules[0]);
  if (base === undefined) return [];
  const names = statement.names === '*' ? starNames(base) : statement.names;
  return [base, ...names.map((name) => (base ? `${base}.${name}` : name))].filter(Boolean);
}

/** `from pkg import *` imports the submodules a package lists in `__all__`. */
function starSubmodules(base: string, resolver: ModuleResolver, factsOf: (file: string) => PythonModuleFacts | undefined): string[] {
  const file = resolver.fileOf(base);
  if (!file || path.basename(file) !== '__init__.py') return [];
  return factsOf(file)?.all?.items ?? [];
}
