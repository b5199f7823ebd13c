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
});
