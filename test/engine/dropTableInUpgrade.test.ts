import * as assert from 'assert';
import { fastApiProject, FixtureProject } from '../support/fixtureProject';

const CREATE_INVITES = "op.create_table('invite_codes', sa.Column('id', sa.Integer(), nullable=False), sa.Column('code', sa.String(length=16), nullable=False), sa.PrimaryKeyConstraint('id'))";

describe('AG101 drop-table-in-upgrade', () => {
  let project: FixtureProject;
  beforeEach(() => {
    project = fastApiProject();
    project.addMigration({ revision: 'a1b2c3d4e5f6', downRevision: null, message: 'create invite codes', upgrade: [CREATE_INVITES], downgrade: ["op.drop_table('invite_codes')"] });
  });
  afterEach(() => project.dispose());

  it('reports a drop of a table the chain created', async () => {
    project.addMigration({ revision: 'd17f77c24fbb', downRevision: 'a1b2c3d4e5f6', message: 'drop invite codes table', upgrade: ["op.drop_table('invite_codes')"], downgrade: [CREATE_INVITES] });
    const findings = await project.analyze();
    assert.deepStrictEqual(findings.map((f) => f.code), ['AG101']);
    assert.match(findings[0].message, /drops table "invite_codes"/);
  });

  it('reports DROP TABLE in raw SQL exactly like op.drop_table', async () => {
    project.addMigration({ revision: 'd17f77c24fbb', downRevision: 'a1b2c3d4e5f6', message: 'drop invite codes table', upgrade: ['op.execute("DROP TABLE IF EXISTS invite_codes CASCADE")'], downgrade: [CREATE_INVITES] });
    assert.deepStrictEqual((await project.analyze()).map((f) => f.code), ['AG101']);
  });

  it('does not report drops in downgrade()', async () => {
    assert.deepStrictEqual(await project.analyze(), []);
  });

  it('does not report a drop of a table created earlier in the same upgrade()', async () => {
    project.addMigration({
      revision: 'b2c3d4e5f6a7',
      downRevision: 'a1b2c3d4e5f6',
      message: 'rebuild scratch data',
      upgrade: ["op.create_table('tmp_import', sa.Column('id', sa.Integer()))", "op.execute('INSERT INTO invite_codes (code) SELECT code FROM legacy_codes')", "op.drop_table('tmp_import')"],
      downgrade: [],
    });
    assert.ok(!(await project.analyze()).some((f) => f.code.startsWith('AG1')));
  });

  it('is silenced by an ignore comment with a reason, and the ignore counts as used', async () => {
    project.addMigration({
      revision: 'd17f77c24fbb',
      downRevision: 'a1b2c3d4e5f6',
      message: 'drop invite codes table',
      upgrade: ['# alembic-guard: ignore[AG101] invite codes removed for public launch, rows exported', "op.drop_table('invite_codes')"],
      downgrade: [CREATE_INVITES],
    });
    assert.deepStrictEqual(await project.analyze(), []);
  });

  it('is not silenced by an ignore without a reason, which is reported itself (AG901)', async () => {
    project.addMigration({ revision: 'd17f77c24fbb', downRevision: 'a1b2c3d4e5f6', message: 'drop invite codes table', upgrade: ["op.drop_table('invite_codes')  # alembic-guard: ignore[AG101]"], downgrade: [CREATE_INVITES] });
    assert.deepStrictEqual((await project.analyze()).map((f) => f.code).sort(), ['AG101', 'AG901']);
  });

  it('reports an ignore comment that suppresses nothing (AG902)', async () => {
    project.addMigration({
      revision: 'e5f6a7b8c9d0',
      downRevision: 'a1b2c3d4e5f6',
      message: 'add invite code expiry',
      upgrade: ['# alembic-guard: ignore[AG101] kept from an older version of this file', "op.add_column('invite_codes', sa.Column('expires_at', sa.DateTime(), nullable=True))"],
      downgrade: ["op.drop_column('invite_codes', 'expires_at')"],
    });
    const findings = await project.analyze();
    assert.deepStrictEqual(findings.map((f) => f.code), ['AG902']);
  });
});
