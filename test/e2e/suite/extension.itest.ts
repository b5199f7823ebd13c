import * as assert from 'assert';
import * as vscode from 'vscode';

const MIGRATION = 'alembic/versions/82233f5589d3_add_receipt_notes.py';

function workspaceFile(relative: string): vscode.Uri {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, relative);
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'alembic-guard');
}

function codeOf(diagnostic: vscode.Diagnostic): string {
  return typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : String(diagnostic.code);
}

/** Resolves once the file's diagnostics satisfy `test`, re-checked on every diagnostics change. */
function diagnosticsWhere(uri: vscode.Uri, test: (d: vscode.Diagnostic[]) => boolean, what: string, timeoutMs = 60000): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const current = ours(uri);
      if (!test(current)) return false;
      listener.dispose();
      clearTimeout(timer);
      resolve(current);
      return true;
    };
    const listener = vscode.languages.onDidChangeDiagnostics(() => check());
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`timed out waiting for ${what}; have ${JSON.stringify(ours(uri).map((d) => [codeOf(d), d.range.start.line]))}`));
    }, timeoutMs);
    check();
  });
}

describe('Alembic Guard in real VS Code', () => {
  const migration = workspaceFile(MIGRATION);
  const env = workspaceFile('alembic/env.py');
  const modelsInit = workspaceFile('app/models/__init__.py');

  before(async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(migration));
  });

  it('shows the Better Auth incident on the open migration with codes, ranges and documentation links', async () => {
    const diagnostics = await diagnosticsWhere(migration, (d) => d.filter((x) => codeOf(x) === 'AG203').length === 4, 'four AG203 findings');
    const session = diagnostics.find((d) => d.message.includes('"session"'))!;
    assert.strictEqual(session.severity, vscode.DiagnosticSeverity.Error);
    assert.deepStrictEqual([session.range.start.line, session.range.start.character, session.range.end.line, session.range.end.character], [23, 4, 23, 28]);
    assert.ok(typeof session.code === 'object' && session.code.target.toString().includes('#ag203-drop-of-unmanaged-table'));
    assert.ok(diagnostics.some((d) => codeOf(d) === 'AG206'));
  });

  it('shows workspace findings in files that are not open (AG201 in the models package, AG204 in env.py)', async () => {
    await diagnosticsWhere(modelsInit, (d) => d.some((x) => codeOf(x) === 'AG201'), 'AG201 in app/models/__init__.py');
    await diagnosticsWhere(env, (d) => d.some((x) => codeOf(x) === 'AG204'), 'AG204 in env.py');
  });

  it('hovers with the rule documentation and the SQL of the operation', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', migration, new vscode.Position(23, 10));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /What it does/);
    assert.match(text, /Why is this bad\?/);
    assert.match(text, /DROP TABLE session/);
  });

  it('offers the fixes as code actions, and "Add include_object" edits env.py and clears the finding', async () => {
    const onMigration = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', migration, new vscode.Range(23, 10, 23, 10));
    const titles = onMigration.map((a) => a.title);
    assert.ok(titles.includes(`Remove the drop of "session" and exclude it in env.py's include_object`), titles.join('\n'));
    assert.ok(titles.includes('Show documentation for AG203 (drop-of-unmanaged-table)'));

    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(env), { preview: false });
    const [finding] = await diagnosticsWhere(env, (d) => d.some((x) => codeOf(x) === 'AG204'), 'AG204 on the open env.py');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', env, finding.range);
    const add = actions.find((a) => a.title.startsWith('Add include_object to env.py'));
    assert.ok(add?.edit, actions.map((a) => a.title).join('\n'));
    assert.ok(await vscode.workspace.applyEdit(add.edit));
    const envText = (await vscode.workspace.openTextDocument(env)).getText();
    assert.match(envText, /def include_object\(object, name, type_, reflected, compare_to\):/);
    assert.strictEqual(envText.match(/include_object=include_object/g)?.length, 2);
    await diagnosticsWhere(env, (d) => !d.some((x) => codeOf(x) === 'AG204'), 'AG204 to clear');
  });

  it('applies a fix to the migration and the squiggle goes', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(migration), { preview: false });
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', migration, new vscode.Range(22, 10, 22, 10));
    const remove = actions.find((a) => a.title.startsWith('Remove the drop of "verification"'))!;
    assert.ok(await vscode.workspace.applyEdit(remove.edit!));
    await diagnosticsWhere(migration, (d) => d.filter((x) => codeOf(x) === 'AG203').length === 3 && !d.some((x) => x.message.includes('"verification"')), 'the verification finding to go');
  });

  it('"Review migration" opens the report in a webview with a strict Content-Security-Policy', async () => {
    const markdown = await vscode.commands.executeCommand<string>('alembicGuard.reviewMigration', migration);
    assert.match(markdown, /^# Review: add receipt notes/);
    assert.match(markdown, /\| `op\.drop_table` \| session \| \*\*yes\*\* \|/);
    const html = await vscode.commands.executeCommand<string>('alembicGuard.reviewHtml');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    assert.match(csp, /^default-src 'none'; style-src 'nonce-[A-Za-z0-9+/=]+'; script-src 'nonce-[A-Za-z0-9+/=]+';$/);
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)![1];
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    assert.ok(scripts.length > 0 && scripts.every((attributes) => attributes.includes(`nonce="${nonce}"`)), 'every script carries the nonce');
    assert.doesNotMatch(html, /https?:\/\//, 'no remote content');
    assert.match(html, /<button id="copy">Copy as Markdown<\/button>/);
    assert.match(html, /data-fix="Remove the drop of &quot;session&quot; and exclude it in env.py&#39;s include_object"|data-fix="Remove the drop of &quot;session&quot; and exclude it in env.py's include_object"/);
  });

  it('summarises the migration in a CodeLens above upgrade()', async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', migration);
    const titles = lenses.map((l) => l.command?.title);
    assert.ok(titles.some((t) => /^\d+ destructive operations · \d+ findings · Review$/.test(t ?? '')), titles.join(' | '));
  });

  it('reads severities from pyproject.toml, and follows it when it changes', async () => {
    const pyproject = workspaceFile('pyproject.toml');
    const before = Buffer.from(await vscode.workspace.fs.readFile(pyproject)).toString('utf8');
    await vscode.workspace.fs.writeFile(pyproject, Buffer.from(before.replace('[tool.alembic-guard]', '[tool.alembic-guard]\nseverity = { AG206 = "info" }')));
    await diagnosticsWhere(migration, (d) => d.some((x) => codeOf(x) === 'AG206' && x.severity === vscode.DiagnosticSeverity.Information), 'AG206 as information');
  });
});
