import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { fastApiProject, FixtureProject } from '../support/fixtureProject';
import type { MigrationSpec } from '../support/migrationSource';

const step = (revision: string, downRevision: MigrationSpec['downRevision'], message = `add column ${revision.slice(0, 4)}`): MigrationSpec => ({
  revision,
  downRevision,
  message,
  upgrade: [`op.add_column('users', sa.Column('c_${revision}', sa.Integer(), nullable=True))`],
  downgrade: [`op.drop_column('users', 'c_${revision}')`],
});

describe('the revision chain: AG601–AG607', () => {
  let project: FixtureProject;
  beforeEach(() => {
    project = fastApiProject();
    project.addMigration(step('9b984a6823ef', null, 'create users'));
  });
  afterEach(() => project.dispose());

  const lines = async (code: string) => (await project.summary()).filter((l) => l.endsWith(code));

  it('AG601 flags each of two unlabelled heads; the fix writes the merge revision alembic merge would', async () => {
    const a = project.addMigration(step('1a2b3c4d5e6f', '9b984a6823ef', 'add invoices'));
    const b = project.addMigration(step('7f8e9d0c1b2a', '9b984a6823ef', 'add receipts index'));
    assert.deepStrictEqual(await lines('AG601'), [`${a}:15 AG601`, `${b}:15 AG601`]);
    const finding = (await project.analyze()).find((f) => f.code === 'AG601')!;
    const [edit] = finding.fixes[0].edits;
    assert.ok(edit.create);
    assert.match(path.basename(edit.file), /^[0-9a-f]{12}_merge_heads\.py$/);
    project.apply(finding.fixes[0]);
    const merge = fs.readFileSync(edit.file, 'utf8');
    assert.match(merge, /^"""merge heads\n\nRevision ID: [0-9a-f]{12}\nRevises: 1a2b3c4d5e6f, 7f8e9d0c1b2a\n/);
    assert.match(merge, /^down_revision: Union\[str, None\] = \('1a2b3c4d5e6f', '7f8e9d0c1b2a'\)$/m);
    project.assertValidPython(path.relative(project.root, edit.file));
    assert.deepStrictEqual(await lines('AG601'), []);
  });

  it('AG601 leaves heads of separately labelled branches alone', async () => {
    project.addMigration(step('1a2b3c4d5e6f', '9b984a6823ef'));
    const plugin = project.addMigration({ ...step('5c5c5c5c5c5c', null, 'create plugin tables') });
    project.write(plugin, project.read(plugin).replace(/^branch_labels: .*$/m, "branch_labels: Union[str, Sequence[str], None] = ('audit',)"));
    assert.deepStrictEqual(await lines('AG601'), []);
  });

  it('AG602 flags an unknown parent and suggests the id it most likely means', async () => {
    const child = project.addMigration(step('2b3c4d5e6f70', '9b984a6823fe'));
    const finding = (await project.analyze()).find((f) => f.code === 'AG602')!;
    assert.match(finding.message, /down_revision "9b984a6823fe" is not a revision of this chain: did you mean "9b984a6823ef"\?/);
    project.apply(finding.fixes[0]);
    assert.match(project.read(child), /^down_revision: Union\[str, None\] = '9b984a6823ef'$/m);
    assert.deepStrictEqual(await lines('AG602'), []);
  });

  it('AG603 flags both files of a duplicated id', async () => {
    project.addMigration(step('3c4d5e6f7081', '9b984a6823ef', 'add invoices'));
    project.addMigration(step('3c4d5e6f7081', '9b984a6823ef', 'add invoices copy'));
    assert.strictEqual((await lines('AG603')).length, 2);
  });

  it('AG604 flags every revision of a cycle, and the rest of the analysis still runs', async () => {
    project.addMigration(step('aaaa11112222', 'bbbb33334444'));
    project.addMigration(step('bbbb33334444', 'aaaa11112222'));
    const summary = await project.summary();
    assert.strictEqual(summary.filter((l) => l.endsWith('AG604')).length, 2);
  });

  it('AG605 flags a docstring id that disagrees with revision, and fixes it', async () => {
    const file = project.addMigration(step('4d5e6f708192', '9b984a6823ef'));
    project.write(file, project.read(file).replace('Revision ID: 4d5e6f708192', 'Revision ID: 82233f5589d3'));
    const finding = (await project.analyze()).find((f) => f.code === 'AG605')!;
    assert.match(finding.message, /docstring says Revision ID 82233f5589d3, but revision = "4d5e6f708192"/);
    project.apply(finding.fixes[0]);
    assert.match(project.read(file), /Revision ID: 4d5e6f708192/);
    assert.deepStrictEqual(await lines('AG605'), []);
  });

  it('AG605 flags a file name that starts with another id', async () => {
    const file = project.addMigration(step('4d5e6f708192', '9b984a6823ef'));
    fs.renameSync(project.path(file), project.path('alembic/versions/c8a88100c2ca_add_column.py'));
    assert.strictEqual((await lines('AG605')).length, 1);
  });

  it('AG606 flags a placeholder message on the head only', async () => {
    project.addMigration(step('5e6f70819203', '9b984a6823ef', 'update'));
    assert.deepStrictEqual(await lines('AG606'), ['alembic/versions/5e6f70819203_update.py:1 AG606']);
    project.addMigration(step('6f7081920314', '5e6f70819203', 'add subscription tier to users'));
    assert.deepStrictEqual(await lines('AG606'), []);
  });

  it('AG607 flags an edited migration that has children, in a git work tree only', async () => {
    const parent = 'alembic/versions/9b984a6823ef_create_users.py';
    project.addMigration(step('6f7081920314', '9b984a6823ef'));
    assert.deepStrictEqual(await lines('AG607'), [], 'not a git work tree: silent');
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: project.root, stdio: 'ignore' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'initial');
    assert.deepStrictEqual(await lines('AG607'), [], 'committed: nothing changed');
    project.write(parent, project.read(parent).replace("op.add_column('users'", "op.add_column('accounts'"));
    assert.deepStrictEqual(await lines('AG607'), [`${parent}:15 AG607`]);
    const head = 'alembic/versions/6f7081920314_add_column_6f70.py';
    project.write(head, project.read(head) + '\n# reviewed\n');
    assert.deepStrictEqual(await lines('AG607'), [`${parent}:15 AG607`], 'the head may still change');
  });
});
