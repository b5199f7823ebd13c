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
    // The link opens the documentation bundled with the extension, at the rule's section.
    assert.ok(typeof session.code === 'object' && /\/docs\/rules\.md#L\d+$/.test(session.code.target.toString()), String(typeof session.code === 'object' && session.code.target));
    assert.ok(diagnostics.some((d) => codeOf(d) === 'AG206'));
  });

  it('shows workspace findings in files that are not open (AG201 in the models package, AG204 in env.py)', async () => {
    await diagnosticsWhere(modelsInit, (d) => d.some((x) => codeOf(x) === 'AG201'), 'AG201 in app/models/__init__.py');
    await diagnosticsWhere(env, (d) => d.some((x) => codeOf(x) === 'AG204'), 'AG204 in env.py');
  });

  it('hovers with the finding and its fix first, a short why, a link to the documentation, and the SQL of the operation', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', migration, new vscode.Position(23, 10));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /^\*\*AG203\*\*/);
    assert.match(text, /\*\*Fix:\*\* Remove the drop of "session"/);
    assert.match(text, /\*\*Why:\*\*/);
    assert.match(text, /\(command:alembicGuard\.showRuleDocumentation\?/);
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

  it('applies a setting at once: disabling clears the squiggles, enabling brings them back', async () => {
    const settings = vscode.workspace.getConfiguration('alembicGuard');
    await settings.update('enable', false, vscode.ConfigurationTarget.Workspace);
    await diagnosticsWhere(migration, (d) => d.length === 0, 'no diagnostics once disabled');
    await settings.update('enable', true, vscode.ConfigurationTarget.Workspace);
    await diagnosticsWhere(migration, (d) => d.some((x) => codeOf(x) === 'AG203'), 'diagnostics back once enabled');
  });

  it('"Restart server" restarts it and the findings come back; "Show output" opens its channel', async () => {
    await vscode.commands.executeCommand('alembicGuard.showOutput');
    await vscode.commands.executeCommand('alembicGuard.restartServer');
    await diagnosticsWhere(migration, (d) => d.some((x) => codeOf(x) === 'AG203'), 'findings after the restart');
  });

  it('fixes every safe finding when the file is saved (editor.codeActionsOnSave: source.fixAll.alembic-guard)', async () => {
    const prune = workspaceFile('alembic/versions/c0ffee000001_prune_auth_tables.py');
    const header = (await vscode.workspace.openTextDocument(migration)).getText().match(/^revision: str = '(\w+)'$/m)![1];
    const source = [
      '"""prune auth tables',
      '',
      'Revision ID: c0ffee000001',
      `Revises: ${header}`,
      'Create Date: 2026-03-05 10:00:00.000000',
      '',
      '"""',
      'from alembic import op',
      'import sqlalchemy as sa',
      '',
      "revision: str = 'c0ffee000001'",
      `down_revision = '${header}'`,
      'branch_labels = None',
      'depends_on = None',
      '',
      '',
      'def upgrade() -> None:',
      '    # ### commands auto generated by Alembic - please adjust! ###',
      "    op.add_column('receipts', sa.Column('archived', sa.Boolean(), nullable=True))",
      '    # ### end Alembic commands ###',
      '',
      '',
      'def downgrade() -> None:',
      '    # ### commands auto generated by Alembic - please adjust! ###',
      "    op.drop_column('receipts', 'archived')",
      '    # ### end Alembic commands ###',
      '',
    ].join('\n');
    await vscode.workspace.fs.writeFile(prune, Buffer.from(source));
    await vscode.workspace.getConfiguration('editor', { languageId: 'python' }).update('codeActionsOnSave', { 'source.fixAll.alembic-guard': 'explicit' }, vscode.ConfigurationTarget.Workspace, true);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(prune), { preview: false });
    await diagnosticsWhere(prune, (d) => d.some((x) => codeOf(x) === 'AG206'), 'the autogenerate markers flagged');
    await editor.edit((edit) => edit.insert(new vscode.Position(source.split('\n').length - 1, 0), '\n'));
    await editor.document.save();
    const saved = (await vscode.workspace.openTextDocument(prune)).getText();
    assert.doesNotMatch(saved, /commands auto generated by Alembic/, saved);
    await diagnosticsWhere(prune, (d) => !d.some((x) => codeOf(x) === 'AG206'), 'AG206 gone after save');
  });

  it('"Ignore CODE for this file" puts the comment below the docstring; with a reason the finding goes', async () => {
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', migration, new vscode.Range(23, 10, 23, 10));
    const ignore = actions.find((a) => a.title === 'Ignore AG203 for this file (type the reason)');
    assert.ok(ignore?.edit, actions.map((a) => a.title).join('\n'));
    assert.ok(await vscode.workspace.applyEdit(ignore.edit));
    const document = await vscode.workspace.openTextDocument(migration);
    const line = document.getText().split('\n').findIndex((l) => l.startsWith('# alembic-guard: ignore-file[AG203] '));
    assert.ok(line > 0);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(migration, new vscode.Position(line, document.lineAt(line).text.length), 'Better Auth owns these tables; they are excluded in env.py');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await diagnosticsWhere(migration, (d) => !d.some((x) => codeOf(x) === 'AG203'), 'AG203 ignored for the file');
  });
});
