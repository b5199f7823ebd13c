import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../support/cliRunner';
import { fastApiProject, FixtureProject, modelSource } from '../support/fixtureProject';

/** A project with a users table, its model, and a reviewed migration that adds a column to it. */
function projectWithHistory(): { project: FixtureProject; addColumn: string } {
  const project = fastApiProject({
    models: { 'user.py': modelSource('User', 'users') },
    modelsInit: 'from app.models.base import Base\nfrom app.models.user import User\n\n__all__ = ["Base", "User"]\n',
  });
  project.addMigration({
    revision: '1a2b3c4d5e6f',
    downRevision: null,
    message: 'create users',
    upgrade: ["op.create_table('users', sa.Column('id', sa.Integer(), nullable=False), sa.Column('name', sa.String(length=100), nullable=False), sa.PrimaryKeyConstraint('id'))"],
    downgrade: ["op.drop_table('users')"],
  });
  const addColumn = project.addMigration({
    revision: '2b3c4d5e6f70',
    downRevision: '1a2b3c4d5e6f',
    message: 'add users nickname',
    upgrade: ["op.add_column('users', sa.Column('nickname', sa.String(length=50), nullable=True))"],
    downgrade: ["op.drop_column('users', 'nickname')"],
  });
  return { project, addColumn };
}

describe('the cache of what was read from each file (check)', () => {
  let cache: string;
  let history: ReturnType<typeof projectWithHistory>;
  const check = (...extra: string[]) => runCli(['check', history.project.root, '--format', 'json', ...extra], history.project.root, { ALEMBIC_GUARD_CACHE_DIR: cache });
  const stores = () => fs.readdirSync(cache).filter((name) => name.startsWith('facts-'));

  beforeEach(() => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-guard-cache-'));
    history = projectWithHistory();
  });

  afterEach(() => {
    history.project.dispose();
    fs.rmSync(cache, { recursive: true, force: true });
  });

  it('an unchanged project is answered from the store, with the same findings, and the store is not rewritten', () => {
    const first = check();
    assert.strictEqual(first.code, 0, first.stderr);
    assert.strictEqual(stores().length, 1);
    const store = path.join(cache, stores()[0]);
    // A rewrite replaces the file (a new inode); reading it only touches its time.
    const written = fs.statSync(store).ino;
    const second = check();
    assert.strictEqual(second.stdout, first.stdout);
    assert.strictEqual(fs.statSync(store).ino, written);
  });

  it('a migration edited after the first run is read again: the drop it gained is reported', () => {
    assert.deepStrictEqual(JSON.parse(check().stdout), []);
    const text = history.project.read(history.addColumn);
    history.project.write(history.addColumn, text.replace("    op.add_column('users'", "    op.drop_table('users')\n    op.add_column('users'"));
    const findings = JSON.parse(check().stdout) as { code: string; file: string }[];
    assert.ok(
      findings.some((f) => f.file === history.project.path(history.addColumn) && f.code === 'AG101'),
      JSON.stringify(findings),
    );
  });

  it('a damaged store costs nothing but speed: same findings, and it is replaced by a good one', () => {
    const expected = check().stdout;
    const store = path.join(cache, stores()[0]);
    fs.writeFileSync(store, 'not a store');
    const again = check();
    assert.strictEqual(again.stdout, expected);
    assert.strictEqual(again.stderr, '');
    assert.notStrictEqual(fs.readFileSync(store, 'utf8'), 'not a store');
  });

  it('--no-cache neither reads nor writes a store', () => {
    const result = check('--no-cache');
    assert.strictEqual(result.code, 0, result.stderr);
    assert.deepStrictEqual(stores(), []);
  });

  it('a cache folder that cannot be written is a warning, not a failure', () => {
    const blocked = path.join(cache, 'blocked');
    fs.writeFileSync(blocked, 'a file where the folder should be');
    const result = runCli(['check', history.project.root], history.project.root, { ALEMBIC_GUARD_CACHE_DIR: blocked });
    assert.strictEqual(result.code, 0);
    assert.match(result.stdout, /All checks passed\./);
    assert.match(result.stderr, /^warning: cannot write the cache /m);
  });
});
