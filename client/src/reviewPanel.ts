import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

interface ReviewData {
  message?: string;
  revision?: string;
  parents: string[];
  children: string[];
  isHead: boolean;
  createDate?: string;
  file: string;
  operations: { phase: string; operation: string; table?: string; destructive: boolean; lock?: string; inverseInOtherFunction?: boolean; line: number }[];
  findings: { code: string; name: string; severity: string; message: string; range: { start: { line: number } }; fixes: { title: string; cursor?: unknown; preferred?: boolean }[] }[];
  checklist: { label: string; status: 'pass' | 'fail' | 'todo' | 'n/a'; detail: string; scope: 'migration' | 'chain' }[];
  offlineSql?: { command: string; sql?: string; error?: string };
}

/** The interpreter the Python extension selected for this file's folder, if it is installed. */
async function selectedPython(uri: vscode.Uri): Promise<string | undefined> {
  const python = vscode.extensions.getExtension('ms-python.python');
  if (!python) return undefined;
  try {
    const api = python.isActive ? python.exports : await python.activate();
    return api?.environments?.getActiveEnvironmentPath?.(vscode.workspace.getWorkspaceFolder(uri)?.uri)?.path;
  } catch {
    return undefined;
  }
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The review of one migration beside the editor, following VS Code's theme; refreshed as the file changes. */
export class ReviewPanel {
  private static current: ReviewPanel | undefined;
  private markdown = '';
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly client: LanguageClient,
    private uri: vscode.Uri,
  ) {
    panel.webview.onDidReceiveMessage((message) => this.onMessage(message));
    const changes = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document.uri.toString() !== this.uri.toString()) return;
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.refresh(), 300);
    });
    panel.onDidDispose(() => {
      changes.dispose();
      ReviewPanel.current = undefined;
    });
  }

  /** Opens (or re-targets) the panel; returns the review's Markdown, or undefined with a message. */
  static async show(client: LanguageClient, uri: vscode.Uri): Promise<string | undefined> {
    if (!ReviewPanel.current) {
      const panel = vscode.window.createWebviewPanel('alembicGuard.review', 'Review migration', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true, localResourceRoots: [] });
      ReviewPanel.current = new ReviewPanel(panel, client, uri);
    }
    ReviewPanel.current.uri = uri;
    return ReviewPanel.current.refresh();
  }

  /** The HTML currently shown (the extension tests check its Content-Security-Policy). */
  static html(): string | undefined {
    return ReviewPanel.current?.panel.webview.html;
  }

  private async refresh(): Promise<string | undefined> {
    const result = await this.client.sendRequest<{ markdown?: string; review?: ReviewData; error?: string }>('alembicGuard/reviewMigration', { uri: this.uri.toString() });
    if (result.error || !result.review || !result.markdown) {
      void vscode.window.showWarningMessage(`Alembic Guard: ${result.error ?? 'no review'}`);
      return undefined;
    }
    this.markdown = result.markdown;
    this.panel.title = `Review: ${result.review.message ?? result.review.file}`;
    this.panel.webview.html = this.render(result.review);
    void this.addOfflineSql(result.review);
    return this.markdown;
  }

  /** The offline SQL comes later (it runs Alembic, with a timeout): the report never waits for it. */
  private async addOfflineSql(review: ReviewData): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      review.offlineSql = { command: '', error: 'trust this workspace to see the SQL Alembic would run (it runs env.py)' };
    } else {
      const python = await selectedPython(this.uri);
      review.offlineSql = await this.client.sendRequest<ReviewData['offlineSql']>('alembicGuard/offlineSql', { uri: this.uri.toString(), python });
    }
    if (ReviewPanel.current === this) this.panel.webview.html = this.render(review);
  }

  private async onMessage(message: { type: string; line?: number; title?: string }): Promise<void> {
    if (message.type === 'copy') {
      await vscode.env.clipboard.writeText(this.markdown);
      void vscode.window.showInformationMessage('Alembic Guard: review copied as Markdown');
      return;
    }
    if (message.type === 'fixAll') {
      // The same action as on save: every safe fix of the migration, in passes.
      await vscode.window.showTextDocument(this.uri, { viewColumn: vscode.ViewColumn.One });
      const [all] = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', this.uri, new vscode.Range(0, 0, 0, 0), 'source.fixAll.alembic-guard');
      if (all?.edit) await vscode.workspace.applyEdit(all.edit);
      await this.refresh();
      return;
    }
    const line = Math.max(0, (message.line ?? 1) - 1);
    const editor = await vscode.window.showTextDocument(this.uri, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(line, 0, line, 0) });
    if (message.type === 'fix' && message.title) {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', this.uri, new vscode.Range(line, 0, line, editor.document.lineAt(line).text.length));
      const action = actions.find((a) => a.title === message.title);
      if (action?.edit) await vscode.workspace.applyEdit(action.edit);
      if (action?.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
    }
  }

  private render(review: ReviewData): string {
    const nonce = randomBytes(16).toString('base64');
    const csp = `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';`;
    const operations = (phase: string) => {
      const rows = review.operations.filter((o) => o.phase === phase);
      if (!rows.length) return '<p class="muted">No operations.</p>';
      return `<table><tr class="head"><th>line</th><th>operation</th><th>table</th><th>destructive</th><th>lock</th><th>undone</th></tr>${rows
        .map(
          (o) =>
            `<tr class="${o.destructive ? 'destructive' : ''}"><td data-label="line"><a href="#" data-line="${o.line}">${o.line}</a></td><td data-label="operation"><code>${escape(o.operation)}</code></td><td data-label="table">${escape(o.table ?? '')}</td><td data-label="destructive">${o.destructive ? 'yes' : 'no'}</td><td class="lock" data-label="lock">${escape(o.lock ?? '')}</td><td data-label="undone">${o.inverseInOtherFunction === undefined ? '–' : o.inverseInOtherFunction ? '✓' : '<strong>no</strong>'}</td></tr>`,
        )
        .join('')}</table>`;
    };
    const findings = review.findings.length
      ? `<ul class="findings">${review.findings
          .map((f) => {
            const line = f.range.start.line + 1;
            // One button per finding: its own fix (the safe one when there is one).
            const fix = f.fixes.find((x) => !x.cursor && x.preferred) ?? f.fixes.find((x) => !x.cursor);
            const fixes = fix ? `<button data-line="${line}" data-fix="${escape(fix.title)}">${escape(fix.title)}</button>` : '';
            return `<li class="${f.severity}"><a href="#" data-line="${line}">${f.code}</a> <code>${escape(f.name)}</code> line ${line}: ${escape(f.message)}<div>${fixes}</div></li>`;
          })
          .join('')}</ul>`
      : '<p class="muted">None.</p>';
    const safe = review.findings.filter((f) => f.fixes.some((x) => x.preferred && !x.cursor)).length;
    const bulk = safe > 1 ? `<p><button id="fix-all">Apply all ${safe} safe fixes</button></p>` : '';
    const marks = { pass: '✓', fail: '✗', todo: '☐', 'n/a': '–' };
    const list = (scope: 'migration' | 'chain') =>
      `<ul class="checklist">${review.checklist
        .filter((c) => c.scope === scope)
        .map((c) => `<li class="${c.status === 'n/a' ? 'na' : c.status}">${marks[c.status]} ${escape(c.label)}${c.status === 'todo' ? ' <span class="muted">(a person checks this)</span>' : c.status === 'n/a' ? ' <span class="muted">(does not apply)</span>' : ''}<div class="detail">${escape(c.detail)}</div></li>`)
        .join('')}</ul>`;
    const checklist = `${list('migration')}<h2>The chain and the models</h2>${list('chain')}`;
    return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="${csp}">
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 16px 16px; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; border-bottom: 1px solid var(--vscode-panel-border); }
table { border-collapse: collapse; width: 100%; table-layout: auto; } td, th { text-align: left; vertical-align: top; padding: 2px 8px; border-bottom: 1px solid var(--vscode-panel-border); overflow-wrap: anywhere; }
td.lock { font-size: 0.9em; color: var(--vscode-descriptionForeground); }
/* At half width and less, each operation is a card: nothing is cut off. */
@media (max-width: 640px) { table, tbody, tr, td { display: block; width: auto; } tr.head { display: none; } tr { padding: 4px 0; border-bottom: 1px solid var(--vscode-panel-border); } td { border: none; padding: 0 4px; } td[data-label]::before { content: attr(data-label) ': '; color: var(--vscode-descriptionForeground); } }
.checklist .detail { margin-left: 1.4em; font-size: 0.9em; color: var(--vscode-descriptionForeground); white-space: pre-wrap; }
.checklist .na { color: var(--vscode-descriptionForeground); }
tr.destructive td { color: var(--vscode-errorForeground); } a { color: var(--vscode-textLink-foreground); }
code { font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background); padding: 0 3px; }
.findings li { margin: 6px 0; } .findings li.error > a { color: var(--vscode-errorForeground); } .findings li.warning > a { color: var(--vscode-editorWarning-foreground); }
button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: none; padding: 3px 8px; margin: 3px 4px 0 0; cursor: pointer; }
button:hover { background: var(--vscode-button-hoverBackground); }
pre { background: var(--vscode-textCodeBlock-background); padding: 8px; overflow-x: auto; }
.checklist { list-style: none; padding-left: 0; } .checklist .fail { color: var(--vscode-errorForeground); } .muted { color: var(--vscode-descriptionForeground); }
</style></head><body>
<h1>Review: ${escape(review.message ?? review.file)}</h1>
<p><button id="copy">Copy as Markdown</button></p>
<ul><li>Revision <code>${escape(review.revision ?? '?')}</code>${review.isHead ? ' (head)' : ''}</li><li>Parents: ${review.parents.map((p) => `<code>${escape(p)}</code>`).join(', ') || 'none (base)'}</li><li>Children: ${review.children.map((c) => `<code>${escape(c)}</code>`).join(', ') || 'none'}</li><li>Created: ${escape(review.createDate ?? 'unknown')}</li><li>File: <code>${escape(review.file)}</code></li></ul>
<h2>upgrade()</h2>${operations('upgrade')}
<h2>downgrade()</h2>${operations('downgrade')}
<h2>Findings</h2>${bulk}${findings}
<h2>Checklist</h2>${checklist}
<h2>Offline SQL</h2>${review.offlineSql ? (review.offlineSql.sql ? `<p class="muted"><code>${escape(review.offlineSql.command)}</code></p><pre><code>${escape(review.offlineSql.sql)}</code></pre>` : `<p class="muted">Not available: ${escape(review.offlineSql.error ?? '')}</p>`) : '<p class="muted">Asking Alembic…</p>'}
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
document.getElementById('copy').addEventListener('click', () => vscode.postMessage({ type: 'copy' }));
document.getElementById('fix-all')?.addEventListener('click', () => vscode.postMessage({ type: 'fixAll' }));
for (const el of document.querySelectorAll('[data-line]')) el.addEventListener('click', (event) => {
  event.preventDefault();
  const fix = el.getAttribute('data-fix');
  vscode.postMessage({ type: fix ? 'fix' : 'reveal', line: Number(el.getAttribute('data-line')), title: fix || undefined });
});
</script></body></html>`;
  }
}
