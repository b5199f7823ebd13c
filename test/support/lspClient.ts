import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { environmentWithTestCache } from './testCacheFolder';
import {
  CodeAction,
  CodeActionRequest,
  ConfigurationRequest,
  createProtocolConnection,
  Diagnostic,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  FileChangeType,
  Hover,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  ProtocolConnection,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { URI } from 'vscode-uri';
import { FixtureProject } from './fixtureProject';
export { CLI } from './cliRunner';

const SERVER = path.resolve(__dirname, '../../../dist/server.js');

/** A language client as an editor is one: it spawns the built server and speaks JSON-RPC over stdio. */
export class LspClient {
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private waiters: { test: () => boolean; resolve: () => void }[] = [];
  settings: Record<string, unknown> = {};

  private constructor(
    private readonly process: ChildProcess,
    readonly connection: ProtocolConnection,
  ) {
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.set(params.uri, params);
      this.waiters = this.waiters.filter((w) => (w.test() ? (w.resolve(), false) : true));
    });
    connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => this.settings));
    connection.onRequest('client/registerCapability', () => null);
  }

  /** `command` defaults to the bundled server; `alembic-guard server --stdio` starts the same one. */
  static async start(root: string, settings: Record<string, unknown> = {}, command = [SERVER, '--stdio'], initializationOptions: Record<string, unknown> = {}): Promise<LspClient> {
    const child = spawn(process.execPath, command, { stdio: ['pipe', 'pipe', 'inherit'], env: environmentWithTestCache() });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(child, connection);
    client.settings = settings;
    connection.listen();
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: URI.file(root).toString(),
      workspaceFolders: [{ uri: URI.file(root).toString(), name: path.basename(root) }],
      initializationOptions,
      capabilities: {
        workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceEdit: { documentChanges: true } },
        textDocument: { publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true } },
      },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  uri(file: string): string {
    return URI.file(file).toString();
  }

  /** Resolves when the published diagnostics satisfy `test` (checked on every publication). */
  waitFor(test: () => boolean, what: string, timeoutMs = 20000): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      this.waiters.push({ test, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  diagnosticsOf(file: string): Diagnostic[] {
    return this.diagnostics.get(this.uri(file))?.diagnostics ?? [];
  }

  async open(file: string, text: string, version = 1): Promise<void> {
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: this.uri(file), languageId: 'python', version, text } });
  }

  async change(file: string, text: string, version: number): Promise<void> {
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: this.uri(file), version }, contentChanges: [{ text }] });
  }

  /** A request of the extension's own (`alembicGuard/baseline`…). */
  request<T>(method: string, params: object = {}): Promise<T> {
    return this.connection.sendRequest(method, params) as Promise<T>;
  }

  /** A notification of the extension's own (`alembicGuard/trusted`…). */
  async notify(method: string, params: object = {}): Promise<void> {
    await this.connection.sendNotification(method, params);
  }

  /** The user changed `alembicGuard.*` settings: the editor says so, and answers with the new values when asked. */
  async configure(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { alembicGuard: settings } });
  }

  async changedOnDisk(file: string): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: this.uri(file), type: FileChangeType.Changed }] });
  }

  hover(file: string, line: number, character: number): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri: this.uri(file) }, position: { line, character } });
  }

  /** `only`: the kinds asked for, as editors do on save (`source.fixAll`). */
  async codeActions(file: string, line: number, character: number, only?: string[]): Promise<CodeAction[]> {
    const result = await this.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: this.uri(file) },
      range: { start: { line, character }, end: { line, character } },
      context: { diagnostics: [], ...(only ? { only } : {}) },
    });
    return (result ?? []) as CodeAction[];
  }

  async stop(): Promise<void> {
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    this.connection.dispose();
    this.process.kill();
  }
}

/** The sample project's Better Auth migration, open in a fresh server, its first diagnostics in. */
export interface OpenSampleMigration {
  project: FixtureProject;
  client: LspClient;
  file: string;
  text: string;
}

export const SAMPLE_MIGRATION = 'alembic/versions/82233f5589d3_add_receipt_notes.py';

export async function openSampleMigration(): Promise<OpenSampleMigration> {
  const project = FixtureProject.copyOf('sample-project');
  const client = await LspClient.start(project.root);
  const file = project.path(SAMPLE_MIGRATION);
  const text = project.read(SAMPLE_MIGRATION);
  await client.open(file, text);
  await client.waitFor(() => client.diagnosticsOf(file).length > 0, 'diagnostics of the open migration');
  return { project, client, file, text };
}
