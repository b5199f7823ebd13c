import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { runCli } from '../support/cliRunner';
import { fastApiProject, FixtureProject } from '../support/fixtureProject';

/**
 * A table created by an earlier revision of the same pull request is empty wherever the next
 * revision runs: a NOT NULL column or an index on it cannot hurt. git says which revisions came
 * together (one commit, or not committed yet).
 */
describe('revisions of one change', () => {
  let project: FixtureProject;
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: project.root, stdio: 'ignore' });
  const favorites = {
    revision: 'fa0000000002',
    downRevision: 'fa0000000001',
    message: 'add favorites',
    upgrade: ["op.create_table('favorites', sa.Column('id', sa.Integer(), nullable=False), sa.Column('user_id', sa.Integer(), nullable=False))"],
    downgrade: ["op.drop_table('favorites')"],
  };
  const orgId = {
    revision: 'fa0000000003',
    downRevision: 'fa0000000002',
    message: 'add org id to favorites',
    upgrade: ["op.add_column('favorites', sa.Column('org_id', sa.Integer(), nullable=False))", "op.create_index('ix_favorites_org_id', 'favorites', ['org_id'])"],
    downgrade: ["op.drop_index('ix_favorites_org_id', table_name='favorites')", "op.drop_column('favorites', 'org_id')"],
  };
  beforeEach(() => {
    project = fastApiProject();
    project.write('pyproject.toml', '[tool.alembic-guard]\ndeploy = "online"\n');
    project.addMigration({ revision: 'fa0000000001', downRevision: null, message: 'create users', upgrade: ["op.create_table('users', sa.Column('id', sa.Integer(), nullable=False))"], downgrade: ["op.drop_table('users')"] });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'initial');
  });
  afterEach(() => project.dispose());
  const codes = async () => (await project.analyze()).filter((f) => f.file.includes('fa0000000003') && ['AG501', 'AG505'].includes(f.code)).map((f) => f.code);

  it('takes a table created earlier in the same commit as new: no NOT NULL or index finding', async () => {
    project.addMigration(favorites);
    project.addMigration(orgId);
    git('add', '.');
    git('commit', '-qm', 'favorites, with their organisation');
    assert.deepStrictEqual(await codes(), []);
  });

  it('takes revisions not committed yet as one change', async () => {
    project.addMigration(favorites);
    project.addMigration(orgId);
    assert.deepStrictEqual(await codes(), []);
  });

  it('judges a table that shipped in an earlier commit as one with rows', async () => {
    project.addMigration(favorites);
    git('add', '.');
    git('commit', '-qm', 'favorites');
    project.addMigration(orgId);
    assert.deepStrictEqual(await codes(), ['AG501', 'AG505']);
  });

  it('does not guess without git (an untrusted workspace)', async () => {
    project.addMigration(favorites);
    project.addMigration(orgId);
    const found = (await project.analyze({ mayRunGit: () => false })).filter((f) => f.file.includes('fa0000000003') && ['AG501', 'AG505'].includes(f.code));
    assert.deepStrictEqual(found.map((f) => f.code), ['AG501', 'AG505']);
  });

  it('with check --changed-since REF, takes every revision added since REF as one change, whatever the commits', async () => {
    git('branch', '-q', 'base');
    project.addMigration(favorites);
    git('add', '.');
    git('commit', '-qm', 'favorites');
    project.addMigration(orgId);
    git('add', '.');
    git('commit', '-qm', 'organisation on favorites');
    const ofRevision = (stdout: string) => stdout.split('\n').filter((line) => /fa0000000003.*(AG501|AG505)/.test(line)).map((line) => /AG50[15]/.exec(line)![0]);
    // Two commits: without a ref, the favorites table shipped before this revision ran.
    assert.deepStrictEqual(ofRevision(runCli(['check', '--no-cache', '.'], project.root).stdout), ['AG501', 'AG505']);
    const sinceBase = runCli(['check', '--no-cache', '--changed-since', 'base', '.'], project.root);
    assert.deepStrictEqual(ofRevision(sinceBase.stdout), [], sinceBase.stdout + sinceBase.stderr);
    // The table existed at the ref: it has rows, and the findings stay.
    const sinceFavorites = runCli(['check', '--no-cache', '--changed-since', 'HEAD~1', '.'], project.root);
    assert.deepStrictEqual(ofRevision(sinceFavorites.stdout), ['AG501', 'AG505'], sinceFavorites.stdout + sinceFavorites.stderr);
  });
});
