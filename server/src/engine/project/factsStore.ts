import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as v8 from 'v8';

interface StoredFacts {
  hash: string;
  facts: unknown;
}

interface StoreFile {
  format: number;
  build: string;
  entries: Map<string, StoredFacts>;
}

/** Bumped when the file's own layout changes; what the facts hold is covered by `build`. */
const STORE_FORMAT = 1;

/**
 * What was read from each file (a migration's operations, a module's classes), kept on disk
 * between runs and keyed by the file's content, so that an unchanged file is not parsed
 * again: the role `.pyc` files play for `alembic heads`.
 *
 * `build` identifies the code that read the facts; a store written by another build is
 * ignored, and so is one that cannot be read. Nothing in it is ever run: it holds data only
 * (V8's structured serialization), and it lives outside the workspace.
 */
export class FactsStore {
  private readonly entries: Map<string, StoredFacts>;
  private readonly used = new Set<string>();
  private changed = false;

  private constructor(
    readonly file: string,
    private readonly build: string,
    entries: Map<string, StoredFacts>,
  ) {
    this.entries = entries;
  }

  static open(file: string, build: string): FactsStore {
    const entries = readStoreFile(file, build);
    if (entries) markUsed(file);
    return new FactsStore(file, build, entries ?? new Map());
  }

  /** The facts stored for this file's current content, if any. */
  get<T>(kind: string, file: string, text: string): T | undefined {
    const key = `${kind}\0${file}`;
    const stored = this.entries.get(key);
    if (!stored || stored.hash !== contentHash(text)) return undefined;
    this.used.add(key);
    return stored.facts as T;
  }

  set(kind: string, file: string, text: string, facts: unknown): void {
    const key = `${kind}\0${file}`;
    this.entries.set(key, { hash: contentHash(text), facts });
    this.used.add(key);
    this.changed = true;
  }

  /**
   * Writes the store when something was added or a stored file went unused (deleted or
   * renamed): whole, to a temporary file renamed over the old one, so that a run that is
   * killed leaves the previous store intact.
   */
  save(): void {
    const stale = [...this.entries.keys()].filter((key) => !this.used.has(key));
    if (!this.changed && stale.length === 0) return;
    for (const key of stale) this.entries.delete(key);
    const contents: StoreFile = { format: STORE_FORMAT, build: this.build, entries: this.entries };
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, v8.serialize(contents));
    fs.renameSync(temporary, this.file);
    this.changed = false;
    pruneUnusedStores(path.dirname(this.file));
  }
}

/** A store read but not changed is still in use: its time says so to the pruning below. */
function markUsed(file: string): void {
  try {
    const now = new Date();
    fs.utimesSync(file, now, now);
  } catch {
    // A read-only cache still serves; it is just never pruned.
  }
}

/** A store nobody read or wrote for this long belongs to a folder that is gone (a temporary checkout, a deleted clone). */
const UNUSED_STORE_AGE_MS = 30 * 24 * 60 * 60 * 1000;

function pruneUnusedStores(folder: string): void {
  const now = Date.now();
  for (const name of fs.readdirSync(folder)) {
    if (!/^facts-[0-9a-f]+\.bin$/.test(name)) continue;
    const file = path.join(folder, name);
    try {
      if (now - fs.statSync(file).mtimeMs > UNUSED_STORE_AGE_MS) fs.rmSync(file, { force: true });
    } catch {
      // Another run removed or replaced it meanwhile.
    }
  }
}

function readStoreFile(file: string, build: string): Map<string, StoredFacts> | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  try {
    const contents = v8.deserialize(bytes) as Partial<StoreFile>;
    if (contents.format !== STORE_FORMAT || contents.build !== build || !(contents.entries instanceof Map)) return undefined;
    return contents.entries;
  } catch {
    // Truncated or written by another Node: start afresh, the next save replaces it.
    return undefined;
  }
}

function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}
