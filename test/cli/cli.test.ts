import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../support/cliRunner';
import { FIXTURES, fastApiProject, FixtureProject } from '../support/fixtureProject';

const SAMPLE = path.join(FIXTURES, 'sample-project');

const run = runCli;

describe('alembic-guard (the command line)', () => {
  it('check prints file:line:col, code, name, message and a help line, and exits 1 on errors', () => {
    const { code, stdout } = run(['check', 'sample-project'], FIXTURES);
    assert.strictEqual(code, 1);
    assert.match(
      stdout,
      /^sample-project\/alembic\/versions\/82233f5589d3_add_receipt_notes\.py:24:5: AG203 \[drop-of-unmanaged-table\] upgrade\(\) drops "session", which no migration created and no model defines: it is managed outside Alembic\n  help: Remove the drop of "session" and exclude it in env\.py's include_object$/m,
    );
    assert.match(stdout, /Found 9 findings \(7 errors, 2 warnings\) in 5 files\./);
  });

  it('check --format json gives one object per finding with 0-based LSP ranges', () => {
    const { code, stdout } = run(['check', SAMPLE, '--format', 'json']);
    assert.strictEqual(code, 1);
    const findings = JSON.parse(stdout);
    const drop = findings.find((f: { code: string }) => f.code === 'AG202');
    assert.deepStrictEqual(Object.keys(drop), ['code', 'name', 'severity', 'file', 'range', 'message', 'fixes']);
    assert.strictEqual(drop.file, path.join(SAMPLE, 'alembic/versions/29672f48c359_add_subscriptions.py'));
    assert.deepStrictEqual(drop.range.start, { line: 23, character: 4 });
    assert.ok(drop.fixes.some((f: { title: string }) => f.title.startsWith('Register JourneyTemplate')));
  });

  it('check of one file reports only that file', () => {
    const { stdout } = run(['check', path.join(SAMPLE, 'app/models/journey_template.py'), '--format', 'json']);
    assert.deepStrictEqual(JSON.parse(stdout).map((f: { code: string }) => f.code), ['AG201']);
  });

  it('exits 0 on a clean project and says so', () => {
    const project = fastApiProject();
    try {
      const { code, stdout } = run(['check', project.root]);
      assert.strictEqual(code, 0);
      assert.match(stdout, /All checks passed\.\nChecked 0 migrations in 1 Alembic project in \d+\.\d s\.\n$/);
    } finally {
      project.dispose();
    }
  });

  it('always ends by saying what it checked: every revision file on disk', () => {
    const project = fastApiProject();
    try {
      for (let i = 1; i <= 3; i++) project.addMigration({ revision: `ccc00000000${i}`, downRevision: i === 1 ? null : `ccc00000000${i - 1}`, message: `step ${i}`, upgrade: [], downgrade: [] });
      const { stdout } = run(['check', project.root]);
      assert.match(stdout, /Checked 3 migrations in 1 Alembic project in \d+\.\d s\.\n$/);
    } finally {
      project.dispose();
    }
  });

  it('exits 2 on a folder with no Alembic project, saying what it looked for', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-guard-empty-'));
    try {
      const { code, stdout, stderr } = run(['check', empty]);
      assert.strictEqual(code, 2);
      assert.strictEqual(stdout, '');
      assert.match(stderr, /nothing to check: no Alembic project below .*looked for alembic\.ini \(script_location, every environment\)/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('--statistics counts the findings per rule, most first', () => {
    const { stdout } = run(['check', path.join(FIXTURES, 'sample-project'), '--statistics', '--exit-zero']);
    assert.match(stdout, /^4  AG203  \[drop-of-unmanaged-table\]  error$/m);
    assert.match(stdout, /^2  AG201  \[model-not-registered\]  error$/m);
  });

  it('--config reads another pyproject.toml (severity, ignore)', () => {
    const project: FixtureProject = FixtureProject.fromFiles({ 'strict.toml': '[tool.alembic-guard]\nignore = ["AG201", "AG202", "AG203", "AG204"]\nseverity = { AG206 = "error" }\n' });
    try {
      const { code, stdout } = run(['check', SAMPLE, '--format', 'json', '--config', project.path('strict.toml')]);
      const findings = JSON.parse(stdout) as { code: string; severity: string }[];
      assert.deepStrictEqual([...new Set(findings.map((f) => f.code))], ['AG206']);
      assert.strictEqual(findings[0].severity, 'error');
      assert.strictEqual(code, 1);
    } finally {
      project.dispose();
    }
  });

  it('reports an invalid pyproject.toml clearly and goes on with defaults', () => {
    const project = fastApiProject({ pyproject: '[tool.alembic-guard]\nignore = ["AG1"\n' });
    try {
      const { code, stderr } = run(['check', project.root]);
      assert.strictEqual(code, 0);
      assert.match(stderr, /pyproject\.toml:\d+:\d+: invalid TOML/);
    } finally {
      project.dispose();
    }
  });

  it('says so when pyproject.toml is a directory, and goes on with defaults', () => {
    const project = fastApiProject();
    try {
      fs.mkdirSync(project.path('pyproject.toml'));
      const { code, stderr } = run(['check', project.root]);
      assert.strictEqual(code, 0);
      assert.match(stderr, /pyproject\.toml: is a directory, not a file/);
    } finally {
      project.dispose();
    }
  });

  it('exits 2 naming a path that does not exist', () => {
    const { code, stderr } = run(['check', 'no/such/folder']);
    assert.strictEqual(code, 2);
    assert.match(stderr, /cannot read no\/such\/folder: no such file or directory/);
  });

  it('exits 2 on a bad option', () => {
    assert.strictEqual(run(['check', '--format', 'xml']).code, 2);
    assert.strictEqual(run(['frobnicate']).code, 2);
  });

  it('--exit-zero keeps the exit status 0 (for the demo and report-only CI)', () => {
    assert.strictEqual(run(['check', SAMPLE, '--exit-zero']).code, 0);
  });

  it('explain prints the rule documentation in the ruff shape', () => {
    const { code, stdout } = run(['explain', 'AG202']);
    assert.strictEqual(code, 0);
    for (const heading of ['What it does', 'Why is this bad?', 'Example', 'Use instead', 'Fix', 'Where it comes from']) assert.match(stdout, new RegExp(`^${heading.replace('?', '\\?')}$`, 'm'));
    assert.match(stdout, /journey_templates/);
  });

  it('check --fix applies the safe fixes, says what it changed and checks again; --unsafe-fixes needs --fix', () => {
    const project = FixtureProject.copyOf('sample-project');
    try {
      const before = run(['check', project.root, '--format', 'json', '--no-cache']);
      type Json = { code: string; severity: string; fixes: { applicability: string }[] }[];
      const safe = (JSON.parse(before.stdout) as Json).filter((f) => f.fixes.some((x) => x.applicability === 'safe')).length;
      assert.ok(safe >= 5, `the sample project has safe fixes (${safe})`);
      const fixed = run(['check', project.root, '--fix', '--no-cache']);
      assert.match(fixed.stdout, /^Fixed \S*alembic\/versions\/82233f5589d3_add_receipt_notes\.py:\d+ AG203: Remove the drop of "session"/m);
      assert.match(fixed.stdout, /^Applied \d+ fixes; checking again\.$/m);
      for (const file of ['alembic/versions/82233f5589d3_add_receipt_notes.py', 'alembic/versions/29672f48c359_add_subscriptions.py', 'alembic/env.py', 'app/models/__init__.py']) project.assertValidPython(file);
      // What is left has no safe fix: the project passes as far as fixes can take it.
      const after = run(['check', project.root, '--format', 'json', '--no-cache']);
      const left = JSON.parse(after.stdout) as Json;
      assert.deepStrictEqual(left.filter((f) => f.fixes.some((x) => x.applicability === 'safe')).map((f) => f.code), []);
      assert.strictEqual(after.code, left.some((f) => f.severity === 'error') ? 1 : 0);
      assert.doesNotMatch(project.read('alembic/versions/82233f5589d3_add_receipt_notes.py'), /op\.drop_table\('session'\)/);
      assert.strictEqual(run(['check', project.root, '--unsafe-fixes']).code, 2);
    } finally {
      project.dispose();
    }
  });

  it('rules lists every rule of the registry', () => {
    const { stdout } = run(['rules', '--format', 'json']);
    const codes = JSON.parse(stdout).map((r: { code: string }) => r.code);
    // The whole catalogue of the product description, by stable code.
    assert.deepStrictEqual(codes, [
      'AG001',
      'AG101', 'AG102', 'AG103', 'AG104', 'AG105', 'AG106',
      'AG201', 'AG202', 'AG203', 'AG204', 'AG205', 'AG206',
      'AG301', 'AG302', 'AG303', 'AG304', 'AG305',
      'AG401', 'AG402',
      'AG501', 'AG502', 'AG503', 'AG504', 'AG505', 'AG506', 'AG507', 'AG508', 'AG509', 'AG510', 'AG511', 'AG512', 'AG513', 'AG514',
      'AG601', 'AG602', 'AG603', 'AG604', 'AG605', 'AG606', 'AG607', 'AG608',
      'AG901', 'AG902',
    ]);
  });
});
