import { execFileSync } from 'child_process';
import * as path from 'path';

/**
 * Files added or changed since a git ref: committed since it, staged, modified, or new and
 * untracked. Throws with git's message when the ref is unknown or this is no work tree.
 */
export function filesChangedSince(ref: string, cwd: string): Set<string> {
  const git = (args: string[]) =>
    execFileSync('git', ['-c', 'core.fsmonitor=false', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const top = git(['rev-parse', '--show-toplevel']).trim();
  const base = git(['merge-base', ref, 'HEAD']).trim();
  const changed = git(['diff', '--name-only', '--no-renames', '--no-ext-diff', '--no-textconv', '--diff-filter=ACMR', base, '--']).split('\n');
  const untracked = git(['ls-files', '--others', '--exclude-standard', '--full-name', '--', top]).split('\n');
  return new Set([...changed, ...untracked].filter(Boolean).map((file) => path.join(top, file)));
}
