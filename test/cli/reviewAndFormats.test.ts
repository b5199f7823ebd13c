import * as assert from 'assert';
import Ajv2020 from 'ajv/dist/2020';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { runCli } from '../support/cliRunner';
import { FIXTURES, fastApiProject, FixtureProject } from '../support/fixtureProject';

const SAMPLE = path.join(FIXTURES, 'sample-project');

const run = runCli;

describe('review and CI output formats', () => {
  it('review of the seed 001 migration fails "no drop in upgrade" and "models registered"', () => {
    const { code, stdout } = run(['review', path.join(SAMPLE, 'alembic/versions/29672f48c359_add_subscriptions.py'), '--format', 'json']);
    assert.strictEqual(code, 1);
    const review = JSON.parse(stdout);
    const status = Object.fromEntries(review.checklist.map((c: { label: string; status: string }) => [c.label, c.status]));
    assert.strictEqual(status['No drop in upgrade()'], 'fail');
    assert.strictEqual(status['Models registered (autogenerate saw every table)'], 'fail');
    assert.strictEqual(status['Backup taken before running it'], 'todo');
    assert.deepStrictEqual(review.children, ['82233f5589d3']);
    assert.strictEqual(review.isHead, false);
  });

  it('a clean migration passes every machine check; only the person\'s checks remain', () => {
    const project = fastApiProject();
    try {
      const file = project.addMigration({
        revision: 'c1ea0c1ea0c1',
        downRevision: null,
        message: 'add phone to users',
        upgrade: ["op.add_column('users', sa.Column('phone', sa.String(length=32), nullable=True))"],
        downgrade: ["op.drop_column('users', 'phone')"],
      });
      const { code, stdout } = run(['review', project.path(file), '--format', 'json']);
      assert.strictEqual(code, 0);
      const checklist = JSON.parse(stdout).checklist as { label: string; status: string }[];
      assert.deepStrictEqual(checklist.filter((c) => c.status !== 'pass').map((c) => `${c.status} ${c.label}`), ['todo Tested upgrade → downgrade → upgrade on a copy of production data']);
    } finally {
      project.dispose();
    }
  });

  it('review --format markdown matches the golden report', () => {
    const { stdout } = run(['review', path.join(SAMPLE, 'alembic/versions/82233f5589d3_add_receipt_notes.py')]);
    assert.strictEqual(stdout, fs.readFileSync(path.join(FIXTURES, 'review-82233f5589d3.golden.md'), 'utf8'));
  });

  it('review --format markdown quotes the migration without letting its HTML or pipes into the report', () => {
    const project = fastApiProject();
    try {
      const file = project.addMigration({
        revision: 'beef00000001',
        downRevision: null,
        message: 'drop <img src=x onerror=alert(1)> | legacy',
        upgrade: ["op.drop_table('legacy|audit')"],
        downgrade: [],
      });
      const { stdout } = run(['review', project.path(file), '--format', 'markdown']);
      assert.match(stdout, /^# Review: drop \\<img src=x onerror=alert\(1\)\\> \\\| legacy$/m);
      assert.doesNotMatch(stdout, /(?<!\\)<img/, "raw HTML reached the report");
      // Every operations table row keeps its six cells.
      for (const row of stdout.split('\n').filter((l) => /^\| \d+ \|/.test(l))) assert.strictEqual(row.split(/(?<!\\)\|/).length - 2, 6, row);
    } finally {
      project.dispose();
    }
  });

  it('check --format sarif is valid SARIF 2.1.0 (the official schema) with rules and help', () => {
    const { stdout } = run(['check', 'sample-project', '--format', 'sarif'], FIXTURES);
    const log: { runs: { results: { ruleId: string; ruleIndex: number; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[]; tool: { driver: { rules: { help: { text: string } }[] } } }[] } = JSON.parse(stdout);
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(FIXTURES, 'sarif-2.1.0.json'), 'utf8')));
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
    const run0 = log.runs[0];
    assert.strictEqual(run0.results.length, 9);
    const result = run0.results.find((r) => r.ruleId === 'AG202')!;
    assert.deepStrictEqual(result.locations[0].physicalLocation.artifactLocation.uri, 'sample-project/alembic/versions/29672f48c359_add_subscriptions.py');
    assert.strictEqual(result.locations[0].physicalLocation.region.startLine, 24);
    assert.match(run0.tool.driver.rules[result.ruleIndex].help.text, /What it does/);
  });

  it('check --format github prints workflow annotations', () => {
    const { stdout } = run(['check', 'sample-project', '--format', 'github'], FIXTURES);
    assert.match(stdout, /^::error file=sample-project\/alembic\/versions\/82233f5589d3_add_receipt_notes\.py,line=24,col=5,endLine=24,endColumn=29,title=AG203 drop-of-unmanaged-table::upgrade\(\) drops "session".*%0Ahelp: Remove the drop of "session"/m);
  });

  it('check --changed-since REF reports only files added or changed since the ref', () => {
    const project: FixtureProject = FixtureProject.copyOf('sample-project');
    try {
      const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: project.root, stdio: 'ignore' });
      git('init', '-q', '-b', 'main');
      git('add', '.');
      git('commit', '-qm', 'base');
      git('checkout', '-qb', 'feature');
      const added = project.addMigration({ revision: 'ad1ad1ad1ad1', downRevision: '82233f5589d3', message: 'drop invites', upgrade: ["op.drop_table('receipts')"], downgrade: ['pass  # irreversible'] });
      const { stdout } = run(['check', '.', '--format', 'json', '--changed-since', 'main'], project.root);
      const files = [...new Set(JSON.parse(stdout).map((f: { file: string }) => path.relative(project.root, f.file)))];
      assert.deepStrictEqual(files, [added]);
      assert.strictEqual(run(['check', '.', '--changed-since', 'no-such-ref'], project.root).code, 2);
    } finally {
      project.dispose();
    }
  });
});
