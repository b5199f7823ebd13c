import type { Tree } from 'web-tree-sitter';
import { MigrationFile, MigrationReader, readMigrationFile } from '../migration/migrationFile';
import type { PythonParser } from '../python/pythonParser';
import { EnvConfig, readEnvConfig } from './envConfig';
import type { FactsStore } from './factsStore';
import { PythonModuleFacts, readPythonModule } from './pythonModule';

interface Entry {
  text: string;
  migration?: MigrationFile;
  module?: PythonModuleFacts;
  env?: EnvConfig;
}

/**
 * Parses each file once per content and keeps only the facts, not the tree; open editor
 * documents keep their tree so that the next keystroke re-parses incrementally. With a
 * store, facts read in an earlier run are taken from it instead of parsing again.
 */
export class SyntaxCache {
  private readonly entries = new Map<string, Entry>();
  private readonly openTrees = new Map<string, OpenTree>();

  constructor(
    readonly parser: PythonParser,
    private readonly store?: FactsStore,
  ) {}

  /** Keep this file's tree between analyses (an open editor document). */
  open(file: string): void {
    if (!this.openTrees.has(file)) this.openTrees.set(file, { text: '', tree: this.parser.parse(''), reader: new MigrationReader() });
  }

  close(file: string): void {
    this.openTrees.get(file)?.tree.delete();
    this.openTrees.delete(file);
  }

  migration(file: string, text: string): MigrationFile {
    const entry = this.entry(file, text);
    // An open document's reader re-reads only the statements the last edit touched.
    const reader = this.openTrees.get(file)?.reader;
    entry.migration ??= this.stored('migration', file, text, (tree) => (reader ? reader.read(file, tree) : readMigrationFile(file, tree)));
    return entry.migration;
  }

  module(file: string, text: string): PythonModuleFacts {
    const entry = this.entry(file, text);
    entry.module ??= this.stored('module', file, text, (tree) => readPythonModule(tree, text));
    return entry.module;
  }

  env(file: string, text: string): EnvConfig {
    const entry = this.entry(file, text);
    entry.env ??= this.stored('env', file, text, (tree) => readEnvConfig(file, tree));
    return entry.env;
  }

  forget(file: string): void {
    this.entries.delete(file);
  }

  private entry(file: string, text: string): Entry {
    let entry = this.entries.get(file);
    if (!entry || entry.text !== text) {
      entry = { text };
      this.entries.set(file, entry);
    }
    return entry;
  }

  private stored<T>(kind: string, file: string, text: string, read: (tree: Tree) => T): T {
    // An open document is re-parsed incrementally: cheaper than a lookup, and it keeps its tree current.
    if (!this.store || this.openTrees.has(file)) return this.withTree(file, text, read);
    const known = this.store.get<T>(kind, file, text);
    if (known !== undefined) return known;
    const facts = this.withTree(file, text, read);
    this.store.set(kind, file, text, facts);
    return facts;
  }

  private withTree<T>(file: string, text: string, read: (tree: Tree) => T): T {
    const open = this.openTrees.get(file);
    if (open) {
      this.refreshOpenTree(open, text);
      return read(open.tree);
    }
    const tree = this.parser.parse(text);
    try {
      return read(tree);
    } finally {
      tree.delete();
    }
  }

  private refreshOpenTree(open: OpenTree, text: string): void {
    if (open.text === text) return;
    const next = this.parser.reparse(open.text, open.tree, text);
    if (next !== open.tree) open.tree.delete();
    open.tree = next;
    open.text = text;
  }
}

/** An editor document's tree, kept for incremental parsing, and its migration reader. */
interface OpenTree {
  text: string;
  tree: Tree;
  reader: MigrationReader;
}
