import * as fs from 'fs';
import * as path from 'path';
import { projectRootOf } from '../engine/project/projectRoot';

export interface CheckTarget {
  /** The folder the engine indexes. */
  root: string;
  /** Only findings in these files, or everything below `root` when undefined. */
  files: Set<string> | undefined;
}

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
