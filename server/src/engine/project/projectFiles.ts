import * as fs from 'fs';
import * as path from 'path';

/**
 * Read access to the workspace. Open editor buffers override the disk, so the editor and
 * the CLI analyse what the user sees.
 */
export class ProjectFiles {
  private readonly overlay = new Map<string, string>();
  /** With `cacheDisk`, disk reads are kept until `invalidate` (the editor's file watcher) says otherwise. */
  private readonly diskTexts = new Map<string, string | undefined>();
  private readonly listings = new Map<string, fs.Dirent[]>();

  constructor(private readonly cacheDisk = false) {}

  /** A file changed, appeared or went away on disk. */
  invalidate(file: string): void {
    const resolved = path.resolve(file);
    this.diskTexts.delete(resolved);
    this.listings.delete(path.dirname(resolved));
    this.listings.delete(resolved);
  }

  setOverlay(file: string, text: string): void {
    this.overlay.set(path.resolve(file), text);
  }

  clearOverlay(file: string): void {
    this.overlay.delete(path.resolve(file));
  }

  /** The file's text, or undefined when it is missing, unreadable or not text. */
  readText(file: string): string | undefined {
    const resolved = path.resolve(file);
    const open = this.overlay.get(resolved);
    if (open !== undefined) return open;
    if (this.cacheDisk && this.diskTexts.has(resolved)) return this.diskTexts.get(resolved);
    const text = readDisk(resolved);
    if (this.cacheDisk) this.diskTexts.set(resolved, text);
    return text;
  }

  isFile(file: string): boolean {
    if (this.overlay.has(path.resolve(file))) return true;
    if (this.cacheDisk) return this.listDirectory(path.dirname(path.resolve(file))).some((e) => e.name === path.basename(file) && e.isFile());
    try {
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  }

  isDirectory(dir: string): boolean {
    try {
      return fs.statSync(dir).isDirectory();
    } catch {
      return false;
    }
  }

  listDirectory(dir: string): fs.Dirent[] {
    const cached = this.cacheDisk ? this.listings.get(path.resolve(dir)) : undefined;
    if (cached) return cached;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      entries = [];
    }
    if (this.cacheDisk) this.listings.set(path.resolve(dir), entries);
    return entries;
  }
}

/**
 * A file's text: UTF-8 (a BOM is dropped), or UTF-16 when a BOM says so (editors on Windows
 * save that). Bytes that are not UTF-8 become U+FFFD and NUL bytes stay: the file is still read
 * as far as it can be, and reported (AG001) instead of being skipped.
 */
function readDisk(file: string): string | undefined {
  try {
    const bytes = fs.readFileSync(file);
    if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
    if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
    return new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Folders no project keeps its own code in: environments, caches, vendored packages. */
const SKIPPED_DIRECTORIES = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '.venv',
  'venv',
  '.env',
  'env',
  '.tox',
  '.nox',
  '__pycache__',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  'site-packages',
  'dist',
  'build',
  '.e2e',
]);

export function isSkippedDirectory(name: string): boolean {
  return SKIPPED_DIRECTORIES.has(name) || name.endsWith('.egg-info');
}

/** Every file below `root` whose name passes `accept`, skipping environments and caches. */
export function walkFiles(files: ProjectFiles, root: string, accept: (name: string) => boolean, limit = 50000): string[] {
  const found: string[] = [];
  const pending = [root];
  while (pending.length && found.length < limit) {
    const dir = pending.pop()!;
    for (const entry of files.listDirectory(dir)) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!isSkippedDirectory(entry.name)) pending.push(full);
      } else if (entry.isFile() && accept(entry.name)) {
        found.push(full);
      }
    }
  }
  return found.sort();
}
