import * as assert from 'assert';
import { fastApiProject, FixtureProject } from '../support/fixtureProject';

describe('AG102 drop-column-in-upgrade', () => {
  let project: FixtureProject;
  const base = { revision: 'aa11bb22cc33', downRevision: null, message: 'create users', upgrade: ["op.create_table('users', sa.Column('id', sa.Integer(), nullable=False), sa.Column('phone', sa.String(), nullable=True))"], downgrade: ["op.drop_table('users')"] };
  beforeEach(() => {
    project = fastApiProject();
    project.addMigration(base);
  });
  afterEach(() => project.dispose());

  const codes = async () => (await project.analyze()).map((f) => f.code);

  it('reports op.drop_column', async () => {
    project.addMigration({ revision: 'bb22cc33dd44', downRevision: 'aa11bb22cc33', message: 'remove phone', upgrade: ["op.drop_column('users', 'phone')"], downgrade: ["op.add_column('users', sa.Column('phone', sa.VARCHAR(), autoincrement=False, nullable=True))"] });
    assert.deepStrictEqual(await codes(), ['AG102']);
  });

  it('reports batch_op.drop_column inside batch_alter_table, naming the batch table', async () => {
    project.addMigration({
      revision: 'bb22cc33dd44',
      downRevision: 'aa11bb22cc33',
      message: 'remove phone',
      upgrade: ["with op.batch_alter_table('users', schema=None) as batch_op:", "    batch_op.drop_column('phone')"],
      downgrade: ["with op.batch_alter_table('users', schema=None) as batch_op:", "    batch_op.add_column(sa.Column('phone', sa.VARCHAR(), nullable=True))"],
    });
    const findings = await project.analyze();
    assert.deepStrictEqual(findings.map((f) => f.code), ['AG102']);
    assert.match(findings[0].message, /"users\.phone"/);
  });

  it('reports ALTER TABLE … DROP COLUMN in SQL', async () => {
    project.addMigration({ revision: 'bb22cc33dd44', downRevision: 'aa11bb22cc33', message: 'remove phone', upgrade: ['op.execute(sa.text("ALTER TABLE users DROP COLUMN phone"))'], downgrade: ["op.add_column('users', sa.Column('phone', sa.String(), nullable=True))"] });
    assert.deepStrictEqual(await codes(), ['AG102']);
  });

  it('does not report a column added earlier in the same upgrade()', async () => {
    project.addMigration({
      revision: 'bb22cc33dd44',
      downRevision: 'aa11bb22cc33',
      message: 'try a temporary column',
      upgrade: ["op.add_column('users', sa.Column('tmp_flag', sa.Boolean(), nullable=True))", "op.execute('UPDATE users SET tmp_flag = true WHERE phone IS NOT NULL')", "op.drop_column('users', 'tmp_flag')"],
      downgrade: [],
    });
    assert.ok(!(await codes()).includes('AG102'));
  });

  it('does not report a column of a table this upgrade() created with SQL (it holds no data yet)', async () => {
    project.addMigration({
      revision: 'bb22cc33dd44',
      downRevision: 'aa11bb22cc33',
      message: 'create audit log',
      upgrade: ['op.execute("CREATE TABLE audit_log (id serial PRIMARY KEY, actor text, legacy_ref text)")', "op.drop_column('audit_log', 'legacy_ref')"],
      downgrade: ['op.execute("DROP TABLE audit_log")'],
    });
    assert.ok(!(await codes()).includes('AG102'));
  });
});
