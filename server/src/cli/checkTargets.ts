import * as fs from 'fs';
import * as path from 'path';

export interface CheckTarget {
  /** The folder the engine indexes. */
  root: string;
  /** Only findings in these files, or everything below `root` when undefined. */
  files: Set<string> | undefined;
}

const PROJECT_MARKERS = ['alembic.ini', 'pyproject.toml'];

/**
 * Turns command-line paths into engine roots: a folder is a root; a file belongs to the
 * nearest folder above it that holds alembic.ini (or pyproject.toml), else its own folder.
 */
export function checkTargets(paths: string[]): { targets: CheckTarget[]; missing: string[] } {
  const missing: string[] = [];
  const byRoot = new Map<string, CheckTarget>();
  for (const given of paths) {
    const resolved = path.resolve(given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(resolved);
    } catch {
      missing.push(given);
      continue;
    }
    if (stat.isDirectory()) {
      byRoot.set(resolved, { root: resolved, files: undefined });
      continue;
    }
    const root = projectRootOf(resolved);
    const target = byRoot.get(root) ?? { root, files: new Set<string>() };
    if (target.files) target.files.add(resolved);
    byRoot.set(root, target);
  }
  return { targets: [...byRoot.values()], missing };
}

function projectRootOf(file: string): string {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (PROJECT_MARKERS.some((marker) => fs.existsSync(path.join(dir, marker)))) {
      if (fs.existsSync(path.join(dir, 'alembic.ini')) || hasAlembicSection(path.join(dir, 'pyproject.toml'))) return dir;
    }
    if (path.dirname(dir) === dir) return path.dirname(file);
  }
}

function hasAlembicSection(pyproject: string): boolean {
  try {
    return fs.readFileSync(pyproject, 'utf8').includes('[tool.alembic]');
  } catch {
    return false;
  }
}
