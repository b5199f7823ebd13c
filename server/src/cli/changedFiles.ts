import * as path from 'path';
import { readOnlyGit } from '../engine/project/readOnlyGit';

/**
 * Files added or changed since a git ref: committed since it, staged, modified, or new and
 * untracked. Throws with git's message when the ref is unknown or this is no work tree.
 */
export function filesChangedSince(ref: string, cwd: string): Set<string> {
  const git = (args: string[]) => readOnlyGit(args, cwd, { stderr: 'pipe', timeout: 60_000 });
  const top = git(['rev-parse', '--show-toplevel']).trim();
  const base = git(['merge-base', ref, 'HEAD']).trim();
  const changed = git(['diff', '--name-only', '--no-renames', '--no-ext-diff', '--no-textconv', '--diff-filter=ACMR', base, '--']).split('\n');
  const untracked = git(['ls-files', '--others', '--exclude-standard', '--full-name', '--', top]).split('\n');
  return new Set([...changed, ...untracked].filter(Boolean).map((file) => path.join(top, file)));
}
