import * as assert from 'assert';
import { fastApiProject, FixtureProject } from '../support/fixtureProject';

describe('AG105 table-recreated', () => {
  let project: FixtureProject;
  const accounts = (name: string) =>
    `op.create_table('${name}', sa.Column('id', sa.Integer(), nullable=False), sa.Column('owner_id', sa.Integer(), nullable=False), sa.Column('balance', sa.DECIMAL(15, 2), nullable=False), sa.PrimaryKeyConstraint('id'))`;
  beforeEach(() => {
    project = fastApiProject();
    project.addMigration({ revision: '5e6f7a8b9c0d', downRevision: null, message: 'create accounts', upgrade: [accounts('accounts')], downgrade: ["op.drop_table('accounts')"] });
  });
  afterEach(() => project.dispose());

  it('reports drop + create of the same table, and only as AG105', async () => {
    project.addMigration({ revision: '6f7a8b9c0d1e', downRevision: '5e6f7a8b9c0d', message: 'widen balance', upgrade: ["op.drop_table('accounts')", accounts('accounts')], downgrade: [] });
    const findings = (await project.analyze()).filter((f) => f.code.startsWith('AG1'));
    assert.deepStrictEqual(findings.map((f) => f.code), ['AG105']);
  });

  it('reports a rename written as create(new) + drop(old) with the same columns', async () => {
    project.addMigration({ revision: '6f7a8b9c0d1e', downRevision: '5e6f7a8b9c0d', message: 'rename accounts to ledgers', upgrade: [accounts('ledgers'), "op.drop_table('accounts')"], downgrade: [] });
    const findings = (await project.analyze()).filter((f) => f.code.startsWith('AG1'));
    assert.deepStrictEqual(findings.map((f) => f.code), ['AG105']);
    assert.match(findings[0].message, /op\.rename_table/);
  });

  it('pairs each dropped table with the new one its name says it became, and claims no rename when two are equally close', async () => {
    project.addMigration({ revision: '6f7a8b9c0d1e', downRevision: '5e6f7a8b9c0d', message: 'add pending accounts', upgrade: [accounts('pending_accounts')], downgrade: ["op.drop_table('pending_accounts')"] });
    project.addMigration({
      revision: '7a8b9c0d1e2f',
      downRevision: '6f7a8b9c0d1e',
      message: 'rename accounts to ledgers',
      upgrade: [accounts('ledgers'), accounts('pending_ledgers'), "op.drop_table('accounts')", "op.drop_table('pending_accounts')"],
      downgrade: [],
    });
    const all = await project.analyze();
    const renames = all.filter((f) => f.code === 'AG105');
    // "pending_accounts" shares a word with "pending_ledgers" only; "accounts" shares none with either new table.
    assert.deepStrictEqual(renames.map((f) => f.message), ['upgrade() creates "pending_ledgers" with the columns of "pending_accounts" and drops "pending_accounts": a rename that loses every row; use op.rename_table']);
    assert.ok(all.some((f) => f.code === 'AG101' && f.message.includes('"accounts"')), all.map((f) => `${f.code} ${f.message}`).join('\n'));
  });
});
