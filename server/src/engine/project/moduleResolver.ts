import * as path from 'path';
import type { ProjectFiles } from './projectFiles';

/** Maps dotted Python module names to files under the import roots (sys.path entries). */
export class ModuleResolver {
  private readonly cache = new Map<string, string | null>();

  constructor(
    private readonly files: ProjectFiles,
    readonly roots: string[],
  ) {}

  /** `a.b` → `root/a/b.py` or `root/a/b/__init__.py`, first root that has it. */
  fileOf(moduleName: string): string | undefined {
    if (!moduleName) return undefined;
    const cached = this.cache.get(moduleName);
    if (cached !== undefined) return cached ?? undefined;
    const parts = moduleName.split('.');
    let found: string | undefined;
    for (const root of this.roots) {
      const asModule = path.join(root, ...parts) + '.py';
      const asPackage = path.join(root, ...parts, '__init__.py');
      if (this.files.isFile(asModule)) found = asModule;
      else if (this.files.isFile(asPackage)) found = asPackage;
      if (found) break;
    }
    this.cache.set(moduleName, found ?? null);
    return found;
  }

  /** The dotted name a file is imported as, from the first root that contains it. */
  nameOf(file: string): string | undefined {
    for (const root of this.roots) {
      const relative = path.relative(root, file);
      if (relative.startsWith('..') || path.isAbsolute(relative) || !relative.endsWith('.py')) continue;
      const parts = relative.slice(0, -3).split(path.sep);
      if (parts[parts.length - 1] === '__init__') parts.pop();
      if (parts.length && parts.every((p) => /^[A-Za-z_]\w*$/.test(p))) return parts.join('.');
    }
    return undefined;
  }

  /** The absolute module a relative import (`from ..x import y`) in `fromFile` names. */
  resolveRelative(fromFile: string, level: number, module: string): string | undefined {
    if (level === 0) return module;
    const own = this.nameOf(fromFile);
    if (own === undefined) return undefined;
    const packageParts = own.split('.');
    if (path.basename(fromFile) !== '__init__.py') packageParts.pop();
    const base = packageParts.slice(0, packageParts.length - (level - 1));
    if (base.length < packageParts.length - (level - 1)) return undefined;
    return [...base, ...(module ? [module] : [])].join('.');
  }
}
