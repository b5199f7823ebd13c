import * as assert from 'assert';
import * as fs from 'fs';
import { URI } from 'vscode-uri';
import * as os from 'os';
import * as path from 'path';
import { DefinitionRequest, Location, TextDocumentEdit } from 'vscode-languageserver-protocol';
import type { TextEdit } from '../../server/src/engine/analysis/finding';
import { FixtureProject } from '../support/fixtureProject';
import { CLI, LspClient, openSampleMigration, SAMPLE_MIGRATION } from '../support/lspClient';
import { applyTextEdits } from '../../server/src/engine/text/textEdits';


describe('the language server over stdio', function () {
  let project: FixtureProject;
  let client: LspClient;
  let file: string;
  let text: string;

  beforeEach(async () => {
    ({ project, client, file, text } = await openSampleMigration());
  });

  afterEach(async () => {
    await client.stop();
    project.dispose();
  });

  it('publishes diagnostics with code, source, severity and a documentation link', () => {
    const session = client.diagnosticsOf(file).find((d) => String(d.message).includes('"session"'))!;
    assert.strictEqual(session.code, 'AG203');
    assert.strictEqual(session.source, 'alembic-guard');
    assert.strictEqual(session.severity, 1);
    assert.deepStrictEqual(session.range, { start: { line: 23, character: 4 }, end: { line: 23, character: 28 } });
    // The documentation bundled with the server, at the rule's own section: it opens in the editor, offline.
    const link = session.codeDescription!.href;
    assert.match(link, /^file:\/\/.*\/docs\/rules\.md#L\d+$/);
    const line = Number(/#L(\d+)$/.exec(link)![1]);
    const docs = fs.readFileSync(URI.parse(link).fsPath, 'utf8').split('\n');
    assert.strictEqual(docs[line - 1], '## AG203 drop-of-unmanaged-table');
  });

  it('publishes workspace findings for files that are not open (the models package)', async () => {
    const init = project.path('app/models/__init__.py');
    await client.waitFor(() => client.diagnosticsOf(init).length > 0, 'AG201 in app/models/__init__.py');
    assert.deepStrictEqual(client.diagnosticsOf(init).map((d) => d.code), ['AG201']);
  });

  it('hovers a finding with its message and fix first, a short why, the incident it comes from and a link to the full documentation, then the SQL and lock', async () => {
    const hover = await client.hover(file, 23, 10);
    const value = (hover!.contents as { value: string }).value;
    const lines = value.split('\n').filter(Boolean);
    assert.strictEqual(lines[0], '**AG203** `drop-of-unmanaged-table` · error');
    assert.match(lines[1], /"session"/);
    assert.match(lines[2], /^\*\*Fix:\*\* Remove the drop of "session" and exclude it in env\.py's include_object/);
    assert.match(lines[3], /^\*\*Why:\*\* [^\n]+\.$/);
    assert.match(lines[4], /^\*\*From:\*\* October 18, 2025: migration 82233f5589d3 dropped the Better Auth tables/);
    assert.match(lines[5], /^\[Full documentation of AG203\]\(command:alembicGuard\.showRuleDocumentation\?%5B%22AG203%22%5D\)$/);
    assert.doesNotMatch(value, /What it does|[Ss]eed \d/);
    assert.match(value, /DROP TABLE session/);
    assert.match(value, /ACCESS EXCLUSIVE/);
  });

  it('offers versioned quick fixes and documentation; applying one clears the finding', async () => {
    const actions = await client.codeActions(file, 23, 10);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes(`Remove the drop of "session" and exclude it in env.py's include_object`), titles.join('\n'));
    assert.ok(titles.includes('Show documentation for AG203 (drop-of-unmanaged-table)'));
    const fix = actions.find((a) => a.title.startsWith('Remove the drop of "session"'))!;
    assert.strictEqual(fix.isPreferred, true);
    const changes = fix.edit!.documentChanges as TextDocumentEdit[];
    const own = changes.find((c) => c.textDocument.uri === client.uri(file))!;
    const env = changes.find((c) => c.textDocument.uri.endsWith('/alembic/env.py'))!;
    assert.strictEqual(own.textDocument.version, 1, 'the open document is edited at the version the fix was computed for');
    assert.strictEqual(env.textDocument.version, null, 'env.py is not open');

    project.write('alembic/env.py', applyTextEdits(project.read('alembic/env.py'), env.edits as TextEdit[]));
    await client.changedOnDisk(project.path('alembic/env.py'));
    await client.change(file, applyTextEdits(text, own.edits as TextEdit[]), 2);
    await client.waitFor(
      () => client.diagnostics.get(client.uri(file))?.version === 2 && !client.diagnosticsOf(file).some((d) => String(d.message).includes('"session"')),
      'the session finding to go',
    );
    assert.strictEqual(client.diagnosticsOf(file).filter((d) => d.code === 'AG203').length, 3);
  });

  it('never hands out an edit for a stale version: fixes follow the latest text', async () => {
    const moved = text.replace("    op.drop_table('verification')\n", "    op.drop_table('verification')\n\n");
    await client.change(file, moved, 2);
    const actions = await client.codeActions(file, 24, 10);
    const fix = actions.find((a) => a.title.startsWith('Remove the drop of "session"'))!;
    const own = (fix.edit!.documentChanges as TextDocumentEdit[]).find((c) => c.textDocument.uri === client.uri(file))!;
    assert.strictEqual(own.textDocument.version, 2);
    assert.doesNotMatch(applyTextEdits(moved, own.edits as TextEdit[]), /drop_table\('session'\)/);
  });

  it('computes a fix that also edits env.py on the env.py the user sees, and names that version so a later edit refuses it', async () => {
    const env = project.path('alembic/env.py');
    const envText = project.read('alembic/env.py');
    await client.open(env, envText, 1);
    // The user edits env.py (unsaved): every line moves down.
    const edited = `# tuned for the staging database\n${envText}`;
    await client.change(env, edited, 2);
    const actions = await client.codeActions(file, 23, 10);
    const fix = actions.find((a) => a.title.startsWith('Remove the drop of "session"'))!;
    const envChange = (fix.edit!.documentChanges as TextDocumentEdit[]).find((c) => c.textDocument.uri === client.uri(env))!;
    assert.strictEqual(envChange.textDocument.version, 2, 'the edit names the env.py text it was computed on');
    const fixed = applyTextEdits(edited, envChange.edits as TextEdit[]);
    assert.match(fixed, /^# tuned for the staging database\n/);
    assert.match(fixed, /def include_object\(/);
    project.write('alembic/env-check.py', fixed);
    project.assertValidPython('alembic/env-check.py');
    // Typed on after the fix was offered: its edit names version 2, the editor holds 3 and refuses it; a new request is computed on 3.
    await client.change(env, `${edited}\n# one more line\n`, 3);
    const again = (await client.codeActions(file, 23, 10)).find((a) => a.title.startsWith('Remove the drop of "session"'))!;
    assert.strictEqual((again.edit!.documentChanges as TextDocumentEdit[]).find((c) => c.textDocument.uri === client.uri(env))!.textDocument.version, 3);
  });

  it('keeps serving through half-typed code, an empty file and binary junk', async () => {
    await client.change(file, text.replace("op.drop_table('user')", "op.drop_table('user'"), 2);
    await client.waitFor(() => client.diagnostics.get(client.uri(file))?.version === 2, 'diagnostics of the broken text');
    await client.change(file, '', 3);
    await client.waitFor(() => client.diagnostics.get(client.uri(file))?.version === 3 || client.diagnosticsOf(file).length === 0, 'diagnostics of the empty file');
    await client.change(file, '\u0000\uFFFD\u0007def upgrade(:\n\t\top.drop_table(', 4);
    await client.change(file, text, 5);
    await client.waitFor(() => client.diagnostics.get(client.uri(file))?.version === 5 && client.diagnosticsOf(file).length === 5, 'recovery');
    assert.ok(await client.hover(file, 23, 10));
  });

  it('takes per-user settings from the editor over pyproject.toml', async () => {
    const other = await LspClient.start(project.root, { severity: { AG203: 'hint' }, ignore: ['AG206'] });
    try {
      await other.open(file, text);
      await other.waitFor(() => other.diagnosticsOf(file).length > 0, 'diagnostics with user settings');
      const diagnostics = other.diagnosticsOf(file);
      assert.ok(diagnostics.every((d) => d.code === 'AG203' && d.severity === 4), JSON.stringify(diagnostics.map((d) => [d.code, d.severity])));
    } finally {
      await other.stop();
    }
  });

  it('is the same server when started as `alembic-guard server --stdio`', async () => {
    const viaCli = await LspClient.start(project.root, {}, [CLI, 'server', '--stdio']);
    try {
      await viaCli.open(file, text);
      await viaCli.waitFor(() => viaCli.diagnosticsOf(file).length === 5, 'diagnostics from the CLI-started server');
    } finally {
      await viaCli.stop();
    }
  });

  it("keeps what it read in the editor's storage at shutdown, and the next session starts from it", async () => {
    const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-guard-storage-'));
    try {
      const first = await LspClient.start(project.root, {}, undefined, { storagePath: storage });
      await first.open(file, text);
      await first.waitFor(() => first.diagnosticsOf(file).length > 0, 'diagnostics in the first session');
      const diagnostics = first.diagnosticsOf(file);
      await first.stop();
      const stores = fs.readdirSync(storage).filter((name) => /^facts-.*\.bin$/.test(name));
      assert.strictEqual(stores.length, 1);
      const written = fs.statSync(path.join(storage, stores[0])).ino;
      const second = await LspClient.start(project.root, {}, undefined, { storagePath: storage });
      await second.open(file, text);
      await second.waitFor(() => second.diagnosticsOf(file).length > 0, 'diagnostics in the second session');
      assert.deepStrictEqual(second.diagnosticsOf(file), diagnostics);
      await second.stop();
      // Everything came from the store, so there was nothing new to write.
      assert.strictEqual(fs.statSync(path.join(storage, stores[0])).ino, written);
    } finally {
      fs.rmSync(storage, { recursive: true, force: true });
    }
  });

  it('hovers a down_revision with the parent revision, and goes to its file', async () => {
    const line = text.split('\n').findIndex((l) => l.startsWith('down_revision'));
    const character = text.split('\n')[line].indexOf("'29672f48c359'") + 3;
    const hover = await client.hover(file, line, character);
    const value = (hover!.contents as { value: string }).value;
    assert.match(value, /\*\*29672f48c359\*\* add subscriptions/);
    assert.match(value, /parents: `1ea01d592526` add journey_templates \(manual SQL\)/);
    assert.match(value, /children: `82233f5589d3` add receipt notes/);
    const definition = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: client.uri(file) }, position: { line, character } })) as Location[];
    assert.strictEqual(definition.length, 1);
    assert.ok(definition[0].uri.endsWith('/alembic/versions/29672f48c359_add_subscriptions.py'));
    assert.strictEqual(definition[0].range.start.line, 14);
  });

  it('hovers a table name with its model and history, and goes to the model', async () => {
    const subscriptions = project.path('alembic/versions/29672f48c359_add_subscriptions.py');
    const source = project.read('alembic/versions/29672f48c359_add_subscriptions.py');
    await client.open(subscriptions, source);
    const line = source.split('\n').findIndex((l) => l.includes("op.drop_table('journey_templates')"));
    const character = source.split('\n')[line].indexOf('journey_templates');
    const value = ((await client.hover(subscriptions, line, character))!.contents as { value: string }).value;
    assert.match(value, /\*\*table `journey_templates`\*\*/);
    assert.match(value, /model \*\*JourneyTemplate\*\* in \[app\/models\/journey_template\.py:12\]/);
    assert.match(value, /- created in `1ea01d592526` add journey_templates \(manual SQL\)\n- dropped in `29672f48c359` add subscriptions/);
    // Its columns as this revision starts, from the SQL that created it.
    assert.match(value, /columns when `29672f48c359` starts:\n\n```sql\nid serial PRIMARY KEY\nuser_id int4 NOT NULL\nname varchar\(120\) NOT NULL\n/);
    const definition = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: client.uri(subscriptions) }, position: { line, character } })) as Location[];
    assert.ok(definition[0].uri.endsWith('/app/models/journey_template.py'));
    assert.strictEqual(definition[0].range.start.line, 11);
  });

  it('follows migrations added on disk: a second head appears on the open migration', async () => {
    const added = 'alembic/versions/5a6b7c8d9e0f_add_receipt_tags.py';
    project.write(added, project.read(SAMPLE_MIGRATION).replace(/82233f5589d3/g, '5a6b7c8d9e0f').replace('add receipt notes', 'add receipt tags'));
    await client.changedOnDisk(project.path(added));
    await client.waitFor(() => client.diagnosticsOf(file).some((d) => d.code === 'AG601'), 'AG601 on the open migration');
    assert.match(String(client.diagnosticsOf(file).find((d) => d.code === 'AG601')!.message), /82233f5589d3 is one of 2 heads \(5a6b7c8d9e0f\)/);
  });
});
