import * as path from 'path';
import { Analyzer, FindingsByFile } from './analysis/analyzer';
import { PythonParser } from './python/pythonParser';
import { FactsStore } from './project/factsStore';
import { ProjectFiles } from './project/projectFiles';
import { SyntaxCache } from './project/syntaxCache';
import { WorkspaceIndex, WorkspaceOptions } from './project/workspaceIndex';
import { loadSqlParser } from './sql/sqlStatements';

export interface EngineOptions extends WorkspaceOptions {
  /** Keep disk reads until told a file changed (the language server has a file watcher). */
  cacheDisk?: boolean;
  /** Keep what was read from each file in this store between runs (see FactsStore). */
  facts?: { file: string; build: string };
  /**
   * Whether git may run (AG607). The command line is run by the user on their own work tree;
   * the editor allows it once the workspace is trusted. Off unless said.
   */
  mayRunGit?: () => boolean;
}

/**
 * The whole engine for one workspace folder: files (with open-editor overlays), parse cache,
 * project index and analyzer. The CLI and the language server are both thin adapters on it.
 */
export class GuardEngine {
  readonly files: ProjectFiles;
  readonly cache: SyntaxCache;
  readonly index: WorkspaceIndex;
  readonly analyzer: Analyzer;
  private readonly facts: FactsStore | undefined;

  private constructor(root: string, parser: PythonParser, options: EngineOptions, onRuleError: (message: string) => void) {
    this.files = new ProjectFiles(!!options.cacheDisk);
    this.facts = options.facts ? FactsStore.open(options.facts.file, options.facts.build) : undefined;
    this.cache = new SyntaxCache(parser, this.facts);
    this.index = new WorkspaceIndex(path.resolve(root), this.files, this.cache, options);
    this.analyzer = new Analyzer(this.index, onRuleError, undefined, options.mayRunGit);
  }

  static async create(root: string, options: EngineOptions = {}, onRuleError?: (message: string) => void): Promise<GuardEngine> {
    const [parser] = await Promise.all([PythonParser.load(), loadSqlParser()]);
    return new GuardEngine(root, parser, options, onRuleError ?? (() => {}));
  }

  /** Re-reads the projects (cached per file content) and runs every rule. */
  analyze(): FindingsByFile {
    this.index.refresh();
    return this.analyzer.analyzeWorkspace();
  }

  /**
   * Writes the facts store, if there is one and it changed. A store that cannot be written
   * costs speed, not results: the reason is returned for a warning.
   */
  saveFacts(): string | undefined {
    try {
      this.facts?.save();
      return undefined;
    } catch (error) {
      return `cannot write the cache ${this.facts?.file}: ${(error as Error).message}`;
    }
  }

  /** Re-reads the projects and runs only the per-migration rules on `files` (a keystroke's fast path). */
  analyzeMigrations(files: Set<string>): FindingsByFile {
    this.index.refresh();
    const results: FindingsByFile = new Map();
    for (const project of this.index.projects) {
      for (const [file, findings] of this.analyzer.analyzeProject(project, files)) results.set(file, findings);
    }
    return results;
  }
}
