import * as path from 'path';
import { readOnlyGit } from '../engine/project/readOnlyGit';

export interface ChangeSinceRef {
  /** Added or changed since the ref: committed since it, staged, modified, or new and untracked. */
  changed: Set<string>;
  /** Of those, the files that did not exist at the ref: the change's new revisions are among them. */
  added: Set<string>;
}

/** Files of the change since a git ref. Throws with git's message when the ref is unknown or this is no work tree. */
export function filesChangedSince(ref: string, cwd: string): ChangeSinceRef {
  const git = (args: string[]) => readOnlyGit(args, cwd, { stderr: 'pipe', timeout: 60_000 });
  const top = git(['rev-parse', '--show-toplevel']).trim();
  const base = git(['merge-base', ref, 'HEAD']).trim();
  const diff = (filter: string) => git(['diff', '--name-only', '--no-renames', '--no-ext-diff', '--no-textconv', `--diff-filter=${filter}`, base, '--']).split('\n');
  const untracked = git(['ls-files', '--others', '--exclude-standard', '--full-name', '--', top]).split('\n');
  const absolute = (files: string[]) => new Set(files.filter(Boolean).map((file) => path.join(top, file)));
  return { changed: absolute([...diff('ACMR'), ...untracked]), added: absolute([...diff('A'), ...untracked]) };
}
