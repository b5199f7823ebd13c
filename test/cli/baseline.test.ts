import * as assert from 'assert';
import * as path from 'path';
import { runCli } from '../support/cliRunner';
import { fastApiProject, FixtureProject } from '../support/fixtureProject';

/** Revision ids as hex, in order: r(1) = '00000000000a'… */
const id = (n: number) => n.toString(16).padStart(12, '0');

describe('adopting the checker on a long history: start-after and baseline', function () {
  let project: FixtureProject;
  beforeEach(() => {
    project = fastApiProject();
    project.addMigration({ revision: id(1), downRevision: null, message: 'create users', upgrade: ["op.create_table('users', sa.Column('id', sa.Integer(), nullable=False))"], downgrade: ["op.drop_table('users')"] });
    // 199 revisions, each adding a column and dropping the one the revision before added: a finding each.
    for (let n = 2; n <= 200; n++) {
      project.addMigration({
        revision: id(n),
        downRevision: id(n - 1),
        message: `rotate column ${n}`,
        upgrade: [`op.add_column('users', sa.Column('c${n}', sa.Integer(), nullable=True))`, ...(n > 2 ? [`op.drop_column('users', 'c${n - 1}')`] : [])],
        downgrade: [...(n > 2 ? [`op.add_column('users', sa.Column('c${n - 1}', sa.Integer(), nullable=True))`] : []), `op.drop_column('users', 'c${n}')`],
      });
    }
  });
  afterEach(() => project.dispose());

  const findings = () => JSON.parse(runCli(['check', project.root, '--format', 'json', '--no-cache']).stdout) as { code: string; file: string }[];
  const revisionOf = (file: string) => parseInt(path.basename(file).slice(0, 12), 16);

  it('baseline at the head: the history goes quiet, and a new migration is judged', () => {
    assert.strictEqual(findings().filter((f) => f.code === 'AG102').length, 198);
    const result = runCli(['baseline', '--path', project.root]);
    assert.strictEqual(result.code, 0, result.stderr);
    assert.match(result.stdout, /start-after = \["0000000000c8"\]/);
    assert.match(result.stdout, /200 of 200 migrations of \S*alembic\.ini are history/);
    assert.match(project.read('pyproject.toml'), /^\[tool\.alembic-guard\]\nstart-after = \["0000000000c8"\]\n$/);
    assert.deepStrictEqual(findings(), []);
    project.addMigration({ revision: id(201), downRevision: id(200), message: 'drop c200', upgrade: ["op.drop_column('users', 'c200')"], downgrade: ["op.add_column('users', sa.Column('c200', sa.Integer(), nullable=True))"] });
    assert.deepStrictEqual(findings().map((f) => `${revisionOf(f.file)} ${f.code}`), ['201 AG102']);
  });

  it('baseline at a revision keeps the findings of the revisions after it, and keeps the rest of pyproject.toml', () => {
    project.write('pyproject.toml', '[project]\nname = "expenses"  # the app\n\n[tool.alembic-guard]\nignore = ["AG206"]\n\n[tool.ruff]\nline-length = 100\n');
    assert.strictEqual(runCli(['baseline', id(150), '--path', project.root]).code, 0);
    assert.strictEqual(project.read('pyproject.toml'), '[project]\nname = "expenses"  # the app\n\n[tool.alembic-guard]\nignore = ["AG206"]\nstart-after = ["000000000096"]\n\n[tool.ruff]\nline-length = 100\n');
    const revisions = findings().map((f) => revisionOf(f.file));
    assert.strictEqual(revisions.length, 50);
    assert.ok(revisions.every((r) => r > 150), revisions.join(','));
  });

  it('names a revision that is not in the chain, and writes nothing', () => {
    const result = runCli(['baseline', 'deadbeefcafe', '--path', project.root]);
    assert.strictEqual(result.code, 2);
    assert.match(result.stderr, /deadbeefcafe is no revision of/);
    assert.throws(() => project.read('pyproject.toml'));
  });
});
