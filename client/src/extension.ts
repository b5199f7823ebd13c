import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind, WorkspaceEdit } from 'vscode-languageclient/node';
import { ChainStatus, ProjectRevisions } from './chainStatus';
import { ServerStatus } from './serverStatus';
import { ReviewPanel } from './reviewPanel';
import { RevisionsView } from './revisionsView';

let client: LanguageClient | undefined;

/** Starts the language server and registers the commands; all analysis happens in the server. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'python' }],
    outputChannelName: 'Alembic Guard',
    // Settings apply as they change: the server is told, and analyses again.
    synchronize: { configurationSection: 'alembicGuard' },
    // Hovers link to the full documentation of a rule through this command only.
    markdown: { isTrusted: { enabledCommands: ['alembicGuard.showRuleDocumentation'] } },
    // The server runs workspace code (alembic --sql) only once the workspace is trusted, and
    // keeps what it read from files in the editor's storage, not in the workspace.
    initializationOptions: { trusted: vscode.workspace.isTrusted, storagePath: (context.storageUri ?? context.globalStorageUri).fsPath },
  };
  client = new LanguageClient('alembicGuard', 'Alembic Guard', serverOptions, clientOptions);

  const status = new ChainStatus(client);
  const server = new ServerStatus(client);
  const revisions = new RevisionsView();
  context.subscriptions.push(
    vscode.commands.registerCommand('alembicGuard.restartServer', () => client?.restart()),
    vscode.commands.registerCommand('alembicGuard.showOutput', () => client?.outputChannel.show(true)),
    vscode.commands.registerCommand('alembicGuard.showHeads', () => status.showHeads()),
    vscode.commands.registerCommand('alembicGuard.goToRevision', () => revisions.goToRevision()),
    vscode.commands.registerCommand('alembicGuard.baseline', () => baseline()),
    vscode.commands.registerCommand('alembicGuard.reviewMigration', reviewMigration),
    vscode.commands.registerCommand('alembicGuard.reviewHtml', () => ReviewPanel.html()),
    vscode.commands.registerCommand('alembicGuard.showRuleDocumentation', showRuleDocumentation),
    vscode.commands.registerCommand('alembicGuard.placeCursor', placeCursor),
    revisions,
    status,
    server,
  );
  await client.start();
  server.listen(client);
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void client?.sendNotification('alembicGuard/trusted')));
  // After every analysis the server says so: the chain state and the revision tree follow.
  const refresh = async () => {
    const projects = await client!.sendRequest<ProjectRevisions[]>('alembicGuard/revisions');
    await status.update(projects);
    revisions.update(projects);
  };
  context.subscriptions.push(client.onNotification('alembicGuard/analyzed', () => void refresh()));
  await refresh();
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}

async function showMarkdown(markdown: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
  await vscode.commands.executeCommand('markdown.showPreviewToSide', document.uri);
  return document;
}

/** Opens the review of the active migration beside the editor; returns its Markdown. */
async function reviewMigration(uri?: vscode.Uri | string): Promise<string | undefined> {
  const target = typeof uri === 'string' ? vscode.Uri.parse(uri) : (uri ?? vscode.window.activeTextEditor?.document.uri);
  if (!client || !target) {
    void vscode.window.showInformationMessage('Alembic Guard: open a migration file to review it.');
    return undefined;
  }
  return ReviewPanel.show(client, target);
}

async function showRuleDocumentation(code?: string): Promise<string | undefined> {
  const wanted = code ?? (await vscode.window.showInputBox({ prompt: 'Rule code, e.g. AG101' }));
  if (!client || !wanted) return undefined;
  const markdown = await client.sendRequest<string | null>('alembicGuard/ruleDocumentation', { code: wanted });
  if (!markdown) {
    void vscode.window.showWarningMessage(`Alembic Guard: no rule ${wanted}`);
    return undefined;
  }
  await showMarkdown(markdown);
  return markdown;
}

/**
 * Adopting the checker on a long history: the current heads and everything before them are
 * declared applied (`start-after` in pyproject.toml), so their own findings stop; new revisions
 * are judged. Asks first: it changes what the whole team sees.
 */
async function baseline(): Promise<boolean> {
  if (!client) return false;
  const uri = vscode.window.activeTextEditor?.document.uri.toString();
  const result = await client.sendRequest<{ edit: WorkspaceEdit; files: string[]; migrations: number } | null>('alembicGuard/baseline', { uri });
  if (!result) {
    void vscode.window.showInformationMessage('Alembic Guard: no Alembic project to baseline here.');
    return false;
  }
  const answer = await vscode.window.showWarningMessage(
    `Declare the current heads and all ${result.migrations} migrations before them history? Their own findings will no longer be reported (start-after in pyproject.toml); new migrations are still checked.`,
    { modal: true },
    'Declare history',
  );
  if (answer !== 'Declare history') return false;
  const edit = await client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
  if (!edit || !(await vscode.workspace.applyEdit(edit))) return false;
  // The server reads pyproject.toml from disk: save what was just written.
  for (const file of result.files) await (await vscode.workspace.openTextDocument(vscode.Uri.parse(file))).save();
  return true;
}

/** After an "ignore" fix, put the cursor where the reason goes. */
async function placeCursor(uri: string, position: { line: number; character: number }): Promise<void> {
  const editor = await vscode.window.showTextDocument(vscode.Uri.parse(uri));
  const at = new vscode.Position(position.line, position.character);
  editor.selection = new vscode.Selection(at, at);
}
