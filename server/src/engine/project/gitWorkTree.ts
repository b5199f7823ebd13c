import { createHash } from 'crypto';
import * as path from 'path';
import { readOnlyGit } from './readOnlyGit';

/**
 * Files whose current text differs from the version committed at HEAD, for files tracked
 * there; undefined outside a git work tree. Only `git rev-parse` and `git ls-tree` run, with
 * readOnlyGit's settings: they apply no filters, diff drivers or fsmonitor from the
 * repository's configuration, fetch nothing, and the current blobs are hashed here, as git
 * hashes them.
 */
export function filesChangedSinceHead(root: string, files: string[], textOf: (file: string) => string | undefined): Set<string> | undefined {
  const git = (args: string[], cwd: string) => readOnlyGit(args, cwd);
  let top: string;
  try {
    top = git(['rev-parse', '--show-toplevel'], root).trim();
  } catch {
    return undefined;
  }
  const committed = new Map<string, string>();
  try {
    const directories = [...new Set(files.map((f) => path.relative(top, path.dirname(f)).split(path.sep).join('/')))];
    for (const line of git(['ls-tree', '-r', '-z', 'HEAD', '--', ...directories], top).split('\0')) {
      const match = /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(line);
      if (match) committed.set(path.join(top, match[2]), match[1]);
    }
  } catch {
    return new Set();
  }
  const changed = new Set<string>();
  for (const file of files) {
    const blob = committed.get(file);
    const text = textOf(file);
    if (!blob || text === undefined) continue;
    // A checkout may have turned LF into CRLF (core.autocrlf): either form matches.
    if (blob !== blobHash(text) && blob !== blobHash(text.replace(/\r\n/g, '\n'))) changed.add(file);
  }
  return changed;
}

function blobHash(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** What the last query answered, per work tree: HEAD and the folders asked about decide whether it still holds. */
const addedAtCommit = new Map<string, { key: string; commits: Map<string, string> | undefined }>();

/**
 * The commit that added each file below `directories` ('' for a file not committed yet: the
 * work in progress is one change), from `git log --diff-filter=A`; undefined outside a git work
 * tree or in a shallow clone, whose oldest commit seems to add everything.
 */
export function commitsAddingFiles(root: string, directories: string[]): Map<string, string> | undefined {
  const git = (args: string[], cwd: string) => readOnlyGit(args, cwd);
  let top: string;
  let head: string;
  try {
    top = git(['rev-parse', '--show-toplevel'], root).trim();
    if (git(['rev-parse', '--is-shallow-repository'], top).trim() === 'true') return undefined;
    head = git(['rev-parse', '--verify', '-q', 'HEAD'], top).trim();
  } catch {
    return undefined;
  }
  const relative = [...new Set(directories.map((d) => path.relative(top, d).split(path.sep).join('/') || '.'))].sort();
  const key = `${head}\0${relative.join('\0')}`;
  const known = addedAtCommit.get(top);
  if (known?.key === key) return known.commits;
  let commits: Map<string, string> | undefined = new Map();
  try {
    let current = '';
    for (const line of git(['log', '--diff-filter=A', '--no-renames', '--format=%H', '--name-only', '--', ...relative], top).split('\n')) {
      if (/^[0-9a-f]{40}$/.test(line)) current = line;
      else if (line.trim()) {
        const file = path.join(top, line);
        // Newest first: a file deleted and added again counts from its last addition.
        if (!commits.has(file)) commits.set(file, current);
      }
    }
  } catch {
    commits = undefined;
  }
  addedAtCommit.set(top, { key, commits });
  return commits;
}
