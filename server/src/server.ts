import * as path from 'path';
import {
  CodeAction,
  CodeActionKind,
  CodeActionParams,
  createConnection,
  DidChangeWatchedFilesNotification,
  Hover,
  CodeLens,
  CodeLensRefreshRequest,
  Diagnostic,
  DiagnosticSeverity,
  HoverParams,
  Location,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { FindingsByFile } from './engine/analysis/analyzer';
import type { RevisionGraph } from './engine/graph/revisionGraph';
import { isDestructive, operationMarkdown } from './engine/docs/operationDocs';
import { ruleMarkdown } from './engine/docs/ruleDocs';
import { findingMarkdown } from './lsp/findingHover';
import { GuardEngine } from './engine/engine';
import { MAX_FILE_CHARS, tooLargeMessage } from './engine/project/fileSizeLimit';
import type { Dialect, GuardConfig, Severity } from './engine/project/guardConfig';
import { displayPath } from './engine/project/alembicProject';
import { isWithin } from './engine/project/pathContainment';
import { projectRootOf } from './engine/project/projectRoot';
import { reviewMigration } from './engine/review/migrationReview';
import { reviewMarkdown } from './engine/review/reviewMarkdown';
import { RULES, ruleByCode } from './engine/rules/registry';
import { comparePositions, rangeContains, SourceText } from './engine/text/sourceText';
import { symbolAt } from './engine/navigation/symbolAtOffset';
import { revisionLocation, revisionMarkdown, tableLocations, tableMarkdown } from './engine/navigation/navigationDocs';
import { documentationAction, FIX_ALL_KIND, fixToCodeAction, workspaceEditOf } from './lsp/codeActions';
import { isSafeFix } from './engine/fixes/combinedFixes';
import { applyFixesInPasses } from './engine/fixes/fixPasses';
import { fileIgnoreFix } from './engine/fixes/fileIgnoreFix';
import { disableRuleFix } from './engine/fixes/disableRuleFix';
import { baselineEdits } from './engine/fixes/baselineEdits';
import { toDiagnostic } from './lsp/diagnostics';
import { offlineSql, projectPython } from './offlineSql';
import { factsCache, userCacheFolder } from './factsCacheLocation';

/** The edited migration is re-checked this long after the last keystroke… */
const DEBOUNCE_MS = 75;
/** …and the whole workspace (graph, models, env.py, other files) once typing pauses this long. */
const FULL_ANALYSIS_MS = 500;

interface EditorSettings {
  enable: boolean;
  select: string[];
  ignore: string[];
  severity: Record<string, Severity>;
  protectedTables: string[];
  /** 0 or empty: the project's own setting (pyproject.toml), else inferred. */
  postgresVersion: number | null;
  deploy: 'online' | 'offline' | '' | null;
  dialect: Dialect | '' | null;
}

/** One engine per workspace folder (or per project root for files outside any folder). */
interface FolderState {
  root: string;
  engine: Promise<GuardEngine>;
  latest: FindingsByFile;
  /** What each file's diagnostics were when last sent, so unchanged files are not sent again. */
  published: Map<string, string>;
  /** Project problems already written to the output channel. */
  logged: Set<string>;
  /** Open-document versions the latest full analysis saw (fixes are only handed out for those). */
  analyzedVersions: Map<string, number>;
  timer: NodeJS.Timeout | undefined;
  saveTimer: NodeJS.Timeout | undefined;
  quickTimer: NodeJS.Timeout | undefined;
  /** Migrations edited since the last full analysis. */
  edited: Set<string>;
  /** The first analysis was timed in the log. */
  timed: boolean;
  /** Problems with alembic.ini or pyproject.toml, as warnings on those files (the Problems panel). */
  configDiagnostics: Map<string, Diagnostic[]>;
}

/** A full analysis slower than this is logged with its time. */
const SLOW_ANALYSIS_MS = 2000;

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const folders: FolderState[] = [];
let settings: EditorSettings = { enable: true, select: [], ignore: [], severity: {}, protectedTables: [], postgresVersion: null, deploy: null, dialect: null };
let supportsConfiguration = false;
let supportsWatchedFilesRegistration = false;
let supportsCodeLensRefresh = false;
/** Only a trusted workspace may run its code (env.py through `alembic --sql`) or git, which its configuration steers. */
let trusted = false;
const UNTRUSTED_GIT_NOTICE = 'AG607 (applied-migration-edited) is off until this workspace is trusted: it runs git, which reads the repository\'s own configuration';
/** Where facts read from files are kept between sessions: the editor's storage for this workspace, else the user's cache. */
let factsFolder = userCacheFolder();

const fileOf = (uri: string) => URI.parse(uri).fsPath;
const uriOf = (file: string) => URI.file(file).toString();

function overrides(): Partial<GuardConfig> {
  return {
    select: settings.select,
    ignore: settings.ignore,
    severity: settings.severity,
    protectedTables: settings.protectedTables,
    postgresVersion: settings.postgresVersion || undefined,
    deploy: settings.deploy || undefined,
    dialect: settings.dialect || undefined,
  };
}

/** What the status item shows: indexing, ready (with what was read), or failed (see the output). */
let lastStatus = '';
function sendStatus(state: 'indexing' | 'ready' | 'failed', detail: string): void {
  const key = `${state}\0${detail}`;
  if (key === lastStatus) return;
  lastStatus = key;
  void connection.sendNotification('alembicGuard/status', { state, detail });
}

function log(message: string): void {
  connection.console.log(`[alembic-guard] ${message}`);
}

function addFolder(root: string): FolderState {
  const state: FolderState = {
    root,
    engine: GuardEngine.create(root, { overrides: overrides(), cacheDisk: true, facts: factsCache(root, factsFolder), mayRunGit: () => trusted }, (message) =>
      connection.console.error(`[alembic-guard] ${message}`),
    ),
    latest: new Map(),
    published: new Map(),
    logged: new Set(),
    analyzedVersions: new Map(),
    timer: undefined,
    quickTimer: undefined,
    saveTimer: undefined,
    edited: new Set(),
    timed: false,
    configDiagnostics: new Map(),
  };
  folders.push(state);
  return state;
}

function folderOf(file: string): FolderState {
  const containing = folders.filter((f) => isWithin(file, f.root)).sort((a, b) => b.root.length - a.root.length)[0];
  return containing ?? addFolder(projectRootOf(file));
}

function schedule(state: FolderState, delay = DEBOUNCE_MS): void {
  if (state.timer) clearTimeout(state.timer);
  state.timer = setTimeout(() => {
    state.timer = undefined;
    void analyze(state);
  }, delay);
}

/** A keystroke in a migration: re-check that file at once, the workspace when typing pauses. */
function scheduleEdit(state: FolderState, file: string): void {
  state.edited.add(file);
  if (state.quickTimer) clearTimeout(state.quickTimer);
  state.quickTimer = setTimeout(() => {
    state.quickTimer = undefined;
    void analyzeEdited(state);
  }, DEBOUNCE_MS);
  schedule(state, FULL_ANALYSIS_MS);
}

/** Rules that need the whole workspace keep their last findings until the full pass. */
const WORKSPACE_CODES = new Set(RULES.filter((r) => r.scope === 'project').map((r) => r.code).concat('AG902'));

async function analyzeEdited(state: FolderState): Promise<void> {
  const engine = await state.engine;
  if (!settings.enable || !state.edited.size) return;
  const files = new Set(state.edited);
  state.edited.clear();
  try {
    // analyzedVersions stays as the full pass left it: findings kept from that pass carry
    // fixes for older text, so code actions wait for a full analysis of the current text.
    const fresh = engine.analyzeMigrations(files);
    for (const file of files) {
      const kept = (state.latest.get(file) ?? []).filter((f) => WORKSPACE_CODES.has(f.code));
      state.latest.set(file, [...kept, ...(fresh.get(file) ?? [])]);
      publish(state, file);
    }
  } catch (error) {
    connection.console.error(`[alembic-guard] analysis failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}

function publish(state: FolderState, file: string): void {
  const diagnostics = [...(state.latest.get(file) ?? []).map(toDiagnostic), ...(state.configDiagnostics.get(file) ?? [])];
  const version = documents.get(uriOf(file))?.version;
  const key = JSON.stringify([version, diagnostics]);
  if (state.published.get(file) === key) return;
  state.published.set(file, key);
  void connection.sendDiagnostics({ uri: uriOf(file), version, diagnostics });
}

/** Runs the engine and publishes the diagnostics that changed; files that lost theirs get an empty list. */
async function analyze(state: FolderState): Promise<void> {
  if (state.timer) {
    clearTimeout(state.timer);
    state.timer = undefined;
  }
  state.edited.clear();
  const engine = await state.engine;
  if (!settings.enable) {
    state.latest = new Map();
  } else {
    try {
      for (const document of documents.all()) {
        const file = fileOf(document.uri);
        if (isWithin(file, state.root)) state.analyzedVersions.set(file, document.version);
      }
      const started = Date.now();
      state.latest = engine.analyze();
      state.configDiagnostics = configDiagnosticsOf(engine);
      // The first pass of a folder, and any slow one, say how long they took (the output channel).
      const took = Date.now() - started;
      if (!state.timed || took > SLOW_ANALYSIS_MS) log(`analysed ${state.root} in ${took} ms`);
      state.timed = true;
      scheduleFactsSave(state);
      const notices = trusted ? engine.index.problems : [...engine.index.problems, UNTRUSTED_GIT_NOTICE];
      for (const problem of notices) {
        if (!state.logged.has(problem)) log(problem);
        state.logged.add(problem);
      }
    } catch (error) {
      connection.console.error(`[alembic-guard] analysis failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      sendStatus('failed', error instanceof Error ? error.message : String(error));
      return;
    }
    const migrations = engine.index.projects.reduce((n, p) => n + p.migrations.length, 0);
    sendStatus('ready', `${migrations} migration${migrations === 1 ? '' : 's'} in ${engine.index.projects.length} Alembic project${engine.index.projects.length === 1 ? '' : 's'}`);
  }
  if (!settings.enable) state.configDiagnostics = new Map();
  const stale = new Set(state.published.keys());
  for (const file of new Set([...state.latest.keys(), ...state.configDiagnostics.keys()])) {
    stale.delete(file);
    publish(state, file);
  }
  for (const file of stale) {
    state.published.delete(file);
    void connection.sendDiagnostics({ uri: uriOf(file), diagnostics: [] });
  }
  if (supportsCodeLensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  void connection.sendNotification('alembicGuard/analyzed', {});
}

/** Each problem with alembic.ini or pyproject.toml as a warning on its line (the first line when it has none). */
function configDiagnosticsOf(engine: GuardEngine): Map<string, Diagnostic[]> {
  const byFile = new Map<string, Diagnostic[]>();
  for (const problem of engine.index.configProblems) {
    if (!engine.files.isFile(problem.file)) continue;
    const line = Math.max(0, (problem.line ?? 1) - 1);
    const character = Math.max(0, (problem.column ?? 1) - 1);
    const diagnostic: Diagnostic = {
      range: { start: { line, character }, end: { line, character: character + 1 } },
      severity: DiagnosticSeverity.Warning,
      source: 'alembic-guard',
      message: problem.message,
    };
    byFile.set(problem.file, [...(byFile.get(problem.file) ?? []), diagnostic]);
  }
  return byFile;
}

/** Facts read from files reach the disk once analyses pause: writing them can wait, diagnostics cannot. */
const FACTS_SAVE_DELAY_MS = 10_000;

function scheduleFactsSave(state: FolderState): void {
  if (state.saveTimer) clearTimeout(state.saveTimer);
  state.saveTimer = setTimeout(() => void saveFacts(state), FACTS_SAVE_DELAY_MS);
}

async function saveFacts(state: FolderState): Promise<void> {
  if (state.saveTimer) clearTimeout(state.saveTimer);
  state.saveTimer = undefined;
  const unsaved = (await state.engine).saveFacts();
  if (unsaved && !state.logged.has(unsaved)) log(unsaved);
  if (unsaved) state.logged.add(unsaved);
}

/**
 * Fixes must match the text the user sees, in every file they edit (a fix may also edit env.py or
 * the models package): re-analyse first if any open document of the folder moved on since the
 * last analysis.
 */
async function currentFindings(uri: string) {
  const file = fileOf(uri);
  const state = folderOf(file);
  const stale = documents.all().some((document) => {
    const open = fileOf(document.uri);
    return isWithin(open, state.root) && state.analyzedVersions.get(open) !== document.version;
  });
  if (stale) await analyze(state);
  return { state, file, findings: state.latest.get(file) ?? [] };
}

connection.onInitialize((params) => {
  supportsConfiguration = !!params.capabilities.workspace?.configuration;
  supportsWatchedFilesRegistration = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  supportsCodeLensRefresh = !!params.capabilities.workspace?.codeLens?.refreshSupport;
  const roots = params.workspaceFolders?.map((f) => fileOf(f.uri)) ?? (params.rootUri ? [fileOf(params.rootUri)] : []);
  trusted = params.initializationOptions?.trusted === true;
  if (typeof params.initializationOptions?.storagePath === 'string') factsFolder = params.initializationOptions.storagePath;
  const initial = params.initializationOptions?.settings as Partial<EditorSettings> | undefined;
  if (initial) settings = { ...settings, ...initial };
  for (const root of roots) addFolder(root);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      definitionProvider: true,
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      workspace: { workspaceFolders: { supported: true } },
    },
    serverInfo: { name: 'alembic-guard' },
  };
});

connection.onInitialized(async () => {
  await refreshSettings();
  if (supportsWatchedFilesRegistration) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [{ globPattern: '**/*.py' }, { globPattern: '**/alembic.ini' }, { globPattern: '**/pyproject.toml' }],
    });
  }
  // The first index of a large workspace takes a moment: show it as work-done progress.
  sendStatus('indexing', 'reading migrations, env.py and models');
  const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
  progress?.begin('Alembic Guard', 0, 'indexing migrations, env.py and models', false);
  await Promise.all(folders.map((state) => analyze(state)));
  progress?.done();
});

/** Pulls `alembicGuard.*` from the client (when it can answer) and hands them to every engine. */
async function refreshSettings(): Promise<void> {
  if (supportsConfiguration) {
    try {
      const value = (await connection.workspace.getConfiguration('alembicGuard')) as Partial<EditorSettings> | null;
      if (value) settings = { ...settings, ...value };
    } catch (error) {
      log(`cannot read settings: ${String(error)}`);
    }
  }
  for (const state of folders) {
    const engine = await state.engine;
    engine.index.options = { ...engine.index.options, overrides: overrides() };
  }
}

connection.onDidChangeConfiguration(async (change) => {
  const pushed = (change.settings as { alembicGuard?: Partial<EditorSettings> } | undefined)?.alembicGuard;
  if (pushed) settings = { ...settings, ...pushed };
  await refreshSettings();
  for (const state of folders) schedule(state);
});

connection.onDidChangeWatchedFiles(async ({ changes }) => {
  const touched = new Set<FolderState>();
  for (const change of changes) {
    const file = fileOf(change.uri);
    const state = folderOf(file);
    const engine = await state.engine;
    engine.files.invalidate(file);
    engine.cache.forget(file);
    touched.add(state);
  }
  for (const state of touched) schedule(state);
});

/**
 * A document larger than the command line reads is not parsed while it is open either: the
 * analysis reports it skipped, as `check` does, and the editor stays responsive.
 */
function tooLarge(state: FolderState, file: string, text: string): boolean {
  if (text.length <= MAX_FILE_CHARS) return false;
  const message = tooLargeMessage(file, text.length);
  if (!state.logged.has(message)) log(message);
  state.logged.add(message);
  return true;
}

documents.onDidOpen(async ({ document }) => {
  const file = fileOf(document.uri);
  const state = folderOf(file);
  const engine = await state.engine;
  const text = document.getText();
  if (!tooLarge(state, file, text)) engine.cache.open(file);
  engine.files.setOverlay(file, text);
  schedule(state);
});

documents.onDidChangeContent(async ({ document }) => {
  const file = fileOf(document.uri);
  const state = folderOf(file);
  const engine = await state.engine;
  const text = document.getText();
  engine.files.setOverlay(file, text);
  if (tooLarge(state, file, text)) {
    engine.cache.close(file);
    schedule(state);
    return;
  }
  const isMigration = engine.index.projectOf(file)?.migrations.some((m) => m.path === file);
  if (isMigration && state.latest.size) scheduleEdit(state, file);
  else schedule(state);
});

documents.onDidClose(async ({ document }) => {
  const file = fileOf(document.uri);
  const state = folderOf(file);
  const engine = await state.engine;
  engine.files.clearOverlay(file);
  engine.cache.close(file);
  state.analyzedVersions.delete(file);
  schedule(state);
});

connection.onCodeAction(async (params: CodeActionParams): Promise<CodeAction[]> => {
  try {
    const { state, file, findings } = await currentFindings(params.textDocument.uri);
    // Each edit names the version of the text it was computed on (not whatever is open now): the editor refuses it once that text has changed.
    const versionOf = (file: string) => (documents.get(uriOf(file)) ? (state.analyzedVersions.get(file) ?? null) : null);
    const only = params.context.only;
    const wants = (kind: string) => !only || only.some((asked) => kind === asked || kind.startsWith(`${asked}.`));
    // On save (`editor.codeActionsOnSave`) or "Fix All": every safe fix of the file, as one edit.
    if (only && !wants(CodeActionKind.QuickFix)) {
      const all = wants(FIX_ALL_KIND) ? await fixAllAction(state, file, FIX_ALL_KIND, versionOf) : undefined;
      return all ? [all] : [];
    }
    const engine = await state.engine;
    const project = engine.index.projectOf(file);
    const migration = project?.migrations.find((m) => m.path === file);
    const text = sourceTextOf(engine, file);
    const actions: CodeAction[] = [];
    const offered = new Set<string>();
    for (const finding of findings) {
      const overlaps = comparePositions(finding.range.start, params.range.end) <= 0 && comparePositions(params.range.start, finding.range.end) <= 0;
      if (!overlaps) continue;
      const diagnostic = toDiagnostic(finding);
      actions.push(...finding.fixes.map((fix) => fixToCodeAction(fix, diagnostic, versionOf)));
      // Once per rule on the line: ignore it for the whole file, or turn it off for the team.
      if (!offered.has(finding.code)) {
        offered.add(finding.code);
        if (migration && text) actions.push(fixToCodeAction(fileIgnoreFix(file, text, finding.code, migration.header?.span.end), diagnostic, versionOf));
        const disable = project && disableRuleFix(project, finding.code, (f) => sourceTextOf(engine, f));
        if (disable) actions.push(fixToCodeAction(disable, diagnostic, versionOf));
      }
      actions.push(documentationAction(finding, diagnostic));
    }
    const all = actions.length && findings.some((f) => f.fixes.some(isSafeFix)) ? await fixAllAction(state, file, CodeActionKind.QuickFix, versionOf) : undefined;
    if (all) actions.push(all);
    return actions;
  } catch (error) {
    connection.console.error(`[alembic-guard] code actions failed: ${String(error)}`);
    return [];
  }
});

/**
 * Every safe fix of a file (those that cannot lose data), applied pass after pass on the texts
 * the user sees, as one action: what "Fix all" and `source.fixAll` on save apply. The passes run
 * on overlays; the editor's own texts are put back before anything else runs.
 */
async function fixAllAction(state: FolderState, file: string, kind: string, versionOf: (file: string) => number | null): Promise<CodeAction | undefined> {
  const engine = await state.engine;
  const originals = new Map<string, string | undefined>();
  const finals = new Map<string, string>();
  let applied = 0;
  try {
    applied = applyFixesInPasses(() => engine.analyze(), (f) => f === file, isSafeFix, {
      read: (f) => engine.files.readText(f),
      write: (f, text) => {
        if (!originals.has(f)) originals.set(f, engine.files.readText(f));
        finals.set(f, text);
        engine.files.setOverlay(f, text);
      },
    }).applied.length;
  } finally {
    for (const changed of originals.keys()) {
      const open = documents.get(uriOf(changed));
      if (open) engine.files.setOverlay(changed, open.getText());
      else engine.files.clearOverlay(changed);
    }
    // Hovers and definitions read the index: it must describe the texts the user sees again.
    if (originals.size) engine.index.refresh();
  }
  if (!applied) return undefined;
  const edits = [...finals].map(([changed, text]) => {
    const before = originals.get(changed);
    return { file: changed, create: before === undefined, edits: [smallestEdit(before ?? '', text)] };
  });
  return { title: `Fix all safe Alembic Guard findings (${applied})`, kind, edit: workspaceEditOf(edits, versionOf) };
}

/** One edit that turns `before` into `after`: the part between their common start and end. */
function smallestEdit(before: string, after: string) {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  const text = new SourceText(before);
  return { range: text.rangeOf(start, before.length - end), newText: after.slice(start, after.length - end) };
}

connection.onHover(async (params: HoverParams): Promise<Hover | null> => {
  try {
    const { state, file, findings } = await currentFindings(params.textDocument.uri);
    const sections: string[] = [];
    // Each finding here: its message and fix first, a short why, and a link to the full documentation.
    for (const finding of findings.filter((f) => rangeContains(f.range, params.position))) {
      const rule = ruleByCode(finding.code);
      if (rule) sections.push(findingMarkdown(finding, rule));
    }
    const engine = await state.engine;
    const document = documents.get(params.textDocument.uri);
    const migration = engine.index.projectOf(file)?.migrations.find((m) => m.path === file);
    const project = engine.index.projectOf(file);
    if (document && migration && project) {
      const offset = document.offsetAt(params.position);
      const op = migration.ops.find((o) => o.nameSpan.start <= offset && offset <= o.nameSpan.end);
      const text = op && operationMarkdown(op);
      if (text) sections.push(text);
      const symbol = symbolAt(migration, offset);
      if (symbol?.kind === 'revision') sections.push(revisionMarkdown(project, symbol.id));
      if (symbol?.kind === 'table') sections.push(tableMarkdown(project, symbol.table, (f) => sourceTextOf(engine, f), migration));
    }
    return sections.length ? { contents: { kind: 'markdown', value: sections.join('\n\n---\n\n') } } : null;
  } catch (error) {
    connection.console.error(`[alembic-guard] hover failed: ${String(error)}`);
    return null;
  }
});

connection.onDefinition(async (params): Promise<Location[]> => {
  try {
    const { state, file } = await currentFindings(params.textDocument.uri);
    const engine = await state.engine;
    const project = engine.index.projectOf(file);
    const migration = project?.migrations.find((m) => m.path === file);
    const document = documents.get(params.textDocument.uri);
    if (!project || !migration || !document) return [];
    const symbol = symbolAt(migration, document.offsetAt(params.position));
    const targets =
      symbol?.kind === 'revision' ? [revisionLocation(project, symbol.id)].filter((l) => l !== undefined) : symbol?.kind === 'table' ? tableLocations(project, symbol.table) : [];
    return targets.flatMap((target) => {
      const text = sourceTextOf(engine, target.file);
      return text ? [Location.create(uriOf(target.file), text.rangeOf(target.start, target.end))] : [];
    });
  } catch (error) {
    connection.console.error(`[alembic-guard] definition failed: ${String(error)}`);
    return [];
  }
});

function sourceTextOf(engine: GuardEngine, file: string): SourceText | undefined {
  const text = engine.files.readText(file);
  return text === undefined ? undefined : new SourceText(text);
}

connection.onCodeLens(async ({ textDocument }): Promise<CodeLens[]> => {
  try {
    const file = fileOf(textDocument.uri);
    const state = folderOf(file);
    const engine = await state.engine;
    const migration = engine.index.projectOf(file)?.migrations.find((m) => m.path === file);
    const upgrade = migration?.functions.find((f) => f.name === 'upgrade');
    const text = sourceTextOf(engine, file);
    if (!migration || !upgrade || !text) return [];
    const destructive = migration.ops.filter((op) => op.phase === 'upgrade' && isDestructive(op)).length;
    const findings = (state.latest.get(file) ?? []).length;
    const parts = [`${destructive} destructive operation${destructive === 1 ? '' : 's'}`, `${findings} finding${findings === 1 ? '' : 's'}`, 'Review'];
    return [{ range: text.rangeOf(upgrade.definitionSpan.start, upgrade.headerEnd), command: { title: parts.join(' · '), command: 'alembicGuard.reviewMigration', arguments: [textDocument.uri] } }];
  } catch (error) {
    connection.console.error(`[alembic-guard] code lens failed: ${String(error)}`);
    return [];
  }
});

/** Heads and revisions of every project, for the status bar and the Revisions view. */
function inHistoryOrder(graph: RevisionGraph) {
  const order = graph.history();
  const placed = new Set(order);
  return [...order, ...[...graph.revisions.keys()].filter((id) => !placed.has(id))].map((id) => graph.get(id)!);
}

/** The merge revision of a project with several heads (AG601's fix), as a workspace edit the editor applies. */
connection.onRequest('alembicGuard/mergeHeads', async ({ project: name }: { project: string }) => {
  for (const state of folders) {
    const engine = await state.engine;
    for (const project of engine.index.projects) {
      if ((displayPath(project, project.alembic.scriptLocation) || project.root) !== name) continue;
      const finding = [...state.latest.values()].flat().find((f) => f.code === 'AG601' && engine.index.projectOf(f.file) === project);
      const fix = finding?.fixes.find((f) => !f.cursor);
      if (fix) return { edit: workspaceEditOf(fix.edits, () => null), files: fix.edits.filter((e) => e.create).map((e) => uriOf(e.file)) };
    }
  }
  return null;
});

/**
 * "Declare the current history applied": `start-after` set to each project's heads, as one
 * workspace edit (pyproject.toml created when there is none). The findings of that history go once
 * the file is saved.
 */
connection.onRequest('alembicGuard/baseline', async ({ uri }: { uri?: string }) => {
  const state = uri ? folderOf(fileOf(uri)) : folders[0];
  if (!state) return null;
  const engine = await state.engine;
  engine.index.refresh();
  const edits = baselineEdits(engine.index.projects, (file) => engine.files.readText(file));
  if (!edits.length) return null;
  const versionOf = (file: string) => documents.get(uriOf(file))?.version ?? null;
  const migrations = engine.index.projects.reduce((n, p) => n + p.migrations.length, 0);
  return { edit: workspaceEditOf(edits, versionOf), files: edits.map((e) => uriOf(e.file)), migrations };
});

connection.onRequest('alembicGuard/revisions', async () => {
  const projects = [];
  for (const state of folders) {
    const engine = await state.engine;
    if (!state.latest.size && !engine.index.projects.length) await analyze(state);
    for (const project of engine.index.projects) {
      const worst = (file: string) => {
        const order = ['error', 'warning', 'info', 'hint'];
        const severities = (state.latest.get(file) ?? []).map((f) => order.indexOf(f.severity));
        return severities.length ? order[Math.min(...severities)] : undefined;
      };
      projects.push({
        name: displayPath(project, project.alembic.scriptLocation) || project.root,
        heads: project.graph.heads,
        // Newest first, in `alembic history` order; revisions it cannot place (a cycle) after them.
        revisions: inHistoryOrder(project.graph).map((r) => ({
          id: r.id,
          message: r.migration.header?.message ?? '',
          uri: uriOf(r.migration.path),
          parents: r.downRevisions,
          children: r.children,
          branchLabels: r.branchLabels,
          worst: worst(r.migration.path),
        })),
      });
    }
  }
  return projects;
});

connection.onNotification('alembicGuard/trusted', () => {
  trusted = true;
  // Rules that waited for trust (AG607) can run now.
  for (const state of folders) schedule(state);
});

/** The revision's offline SQL, rendered by the project's own Alembic: trusted workspaces only. */
connection.onRequest('alembicGuard/offlineSql', async ({ uri, python }: { uri: string; python?: string }) => {
  if (!trusted) return { command: '', error: 'this workspace is not trusted: Alembic Guard does not run its code' };
  const file = fileOf(uri);
  const engine = await folderOf(file).engine;
  const project = engine.index.projectOf(file);
  const migration = project?.migrations.find((m) => m.path === file);
  const revision = migration && project?.graph.revisionOf(migration);
  if (!project || !revision) return { command: '', error: 'not a migration of this chain' };
  return offlineSql(project, revision, projectPython(project, python));
});

connection.onRequest('alembicGuard/ruleDocumentation', ({ code }: { code: string }) => {
  const rule = ruleByCode(code);
  return rule ? ruleMarkdown(rule, 1) : null;
});

connection.onRequest('alembicGuard/reviewMigration', async ({ uri }: { uri: string }) => {
  const { state, file, findings } = await currentFindings(uri);
  const engine = await state.engine;
  const project = engine.index.projectOf(file);
  const migration = project?.migrations.find((m) => m.path === file);
  if (!project || !migration) {
    return { error: `${path.basename(file)} is not a migration of an Alembic project (no versions folder of an alembic.ini contains it).` };
  }
  const text = sourceTextOf(engine, file) ?? new SourceText('');
  const projectFindings = [...state.latest.values()].flat().filter((f) => f.file !== file);
  const review = reviewMigration(project, migration, text, findings, projectFindings);
  return { markdown: reviewMarkdown(review), review };
});

connection.onShutdown(() => Promise.all(folders.filter((f) => f.saveTimer).map(saveFacts)).then(() => undefined));

process.on('uncaughtException', (error) => connection.console.error(`[alembic-guard] ${error.stack ?? error.message}`));
documents.listen(connection);
connection.listen();
