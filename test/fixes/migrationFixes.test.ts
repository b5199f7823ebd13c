import * as assert from 'assert';
import type { Finding } from '../../server/src/engine/analysis/finding';
import { fastApiProject, FixtureProject } from '../support/fixtureProject';

describe('fixes inside one migration', () => {
  let project: FixtureProject;
  beforeEach(() => {
    project = fastApiProject();
    project.addMigration({
      revision: 'c0ffee000001',
      downRevision: null,
      message: 'create users',
      upgrade: ["op.create_table('users', sa.Column('id', sa.Integer(), nullable=False), sa.Column('phone', sa.String(), nullable=True))", "op.create_index('ix_users_phone', 'users', ['phone'])"],
      downgrade: ["op.drop_index('ix_users_phone', table_name='users')", "op.drop_table('users')"],
    });
  });
  afterEach(() => project.dispose());

  const only = async (code: string): Promise<Finding> => {
    const findings = (await project.analyze()).filter((f) => f.code === code);
    assert.strictEqual(findings.length, 1, `one ${code}`);
    return findings[0];
  };

  it('moves a drop to downgrade() when downgrade() does not re-create it, leaving `pass` behind', async () => {
    const file = project.addMigration({ revision: 'c0ffee000002', downRevision: 'c0ffee000001', message: 'drop phone', upgrade: ["op.drop_column('users', 'phone')"], downgrade: [] });
    const finding = await only('AG102');
    assert.strictEqual(finding.fixes[1].title, 'Move the drop of column "users.phone" to downgrade()');
    assert.ok(!finding.fixes[1].preferred, 'a rollback would drop a column that existed before: never the automatic fix');
    project.apply(finding.fixes[1]);
    assert.match(project.read(file), /def upgrade\(\) -> None:\n    pass\n\n\ndef downgrade\(\) -> None:\n    op\.drop_column\('users', 'phone'\)\n/);
    project.assertValidPython(file);
    assert.ok(!(await project.analyze()).some((f) => f.code === 'AG102'));
  });

  it('removes a drop and its re-create when downgrade() has it', async () => {
    const file = project.addMigration({
      revision: 'c0ffee000002',
      downRevision: 'c0ffee000001',
      message: 'drop phone index',
      upgrade: ["op.drop_index('ix_users_phone', table_name='users')", "op.add_column('users', sa.Column('email', sa.String(), nullable=True))"],
      downgrade: ["op.drop_column('users', 'email')", "op.create_index('ix_users_phone', 'users', ['phone'], unique=False)"],
    });
    project.apply((await only('AG103')).fixes[0]);
    const text = project.read(file);
    assert.doesNotMatch(text, /ix_users_phone/);
    assert.match(text, /def upgrade\(\) -> None:\n    op\.add_column\('users', sa\.Column\('email'/);
    project.assertValidPython(file);
    assert.ok(!(await project.analyze()).some((f) => f.code === 'AG103'));
  });

  it('generates the inverse operations of upgrade() in reverse order', async () => {
    const file = project.addMigration({
      revision: 'c0ffee000002',
      downRevision: 'c0ffee000001',
      message: 'add contact details',
      upgrade: [
        "op.add_column('users', sa.Column('email', sa.String(length=255), nullable=True))",
        "op.create_index(op.f('ix_users_email'), 'users', ['email'], unique=True)",
        "op.create_table('addresses', sa.Column('id', sa.Integer(), nullable=False), sa.Column('user_id', sa.Integer()))",
        "op.create_foreign_key('fk_addresses_user', 'addresses', 'users', ['user_id'], ['id'])",
        "op.alter_column('users', 'phone', new_column_name='mobile', existing_type=sa.String())",
      ],
      downgrade: [],
    });
    const finding = await only('AG301');
    assert.strictEqual(finding.fixes[0].title, 'Generate downgrade() from upgrade() (inverse operations, reverse order)');
    project.apply(finding.fixes[0]);
    assert.match(
      project.read(file),
      /def downgrade\(\) -> None:\n    op\.alter_column\('users', 'mobile', new_column_name='phone'\)\n    op\.drop_constraint\('fk_addresses_user', 'addresses', type_='foreignkey'\)\n    op\.drop_table\('addresses'\)\n    op\.drop_index\(op\.f\('ix_users_email'\), table_name='users'\)\n    op\.drop_column\('users', 'email'\)\n$/,
    );
    project.assertValidPython(file);
    assert.ok(!(await project.analyze()).some((f) => f.code === 'AG301'));
  });

  it('offers NotImplementedError when an operation has no mechanical inverse', async () => {
    const file = project.addMigration({ revision: 'c0ffee000002', downRevision: 'c0ffee000001', message: 'drop phone', upgrade: ["op.drop_column('users', 'phone')"], downgrade: [] });
    const finding = await only('AG301');
    assert.deepStrictEqual(finding.fixes.map((f) => f.title).slice(0, 1), ['Make downgrade() refuse to run (raise NotImplementedError)']);
    project.apply(finding.fixes[0]);
    project.assertValidPython(file);
    assert.ok(!(await project.analyze()).some((f) => f.code === 'AG301'));
  });

  it('inserts an ignore comment above the finding; with a reason typed it suppresses the finding', async () => {
    const file = project.addMigration({ revision: 'c0ffee000002', downRevision: 'c0ffee000001', message: 'drop users', upgrade: ["op.drop_table('users')"], downgrade: ['raise NotImplementedError()'] });
    const finding = await only('AG101');
    const ignore = finding.fixes.find((f) => f.title.startsWith('Ignore AG101'))!;
    project.apply(ignore);
    const text = project.read(file);
    assert.match(text, /    # alembic-guard: ignore\[AG101\] \n    op\.drop_table\('users'\)/);
    assert.deepStrictEqual((await project.analyze()).map((f) => f.code).sort(), ['AG101', 'AG901'], 'no reason yet: nothing suppressed');
    project.write(file, text.replace('ignore[AG101] ', 'ignore[AG101] users moved to the accounts service, data migrated'));
    assert.deepStrictEqual(await project.analyze(), []);
  });

  it('removes an unused ignore comment', async () => {
    const file = project.addMigration({
      revision: 'c0ffee000002',
      downRevision: 'c0ffee000001',
      message: 'add email',
      upgrade: ["op.add_column('users', sa.Column('email', sa.String(), nullable=True))  # alembic-guard: ignore[AG102] stale"],
      downgrade: ["op.drop_column('users', 'email')"],
    });
    project.apply((await only('AG902')).fixes[0]);
    assert.match(project.read(file), /op\.add_column\('users', sa\.Column\('email', sa\.String\(\), nullable=True\)\)\n/);
    assert.deepStrictEqual(await project.analyze(), []);
  });

  it('offers to remove an accidental drop outright when downgrade() has no re-create', async () => {
    const file = project.addMigration({ revision: 'c0ffee000002', downRevision: 'c0ffee000001', message: 'tune users', upgrade: ["op.drop_index('ix_users_phone', table_name='users')", "op.add_column('users', sa.Column('email', sa.String(), nullable=True))"], downgrade: ["op.drop_column('users', 'email')"] });
    const finding = await only('AG103');
    assert.deepStrictEqual(finding.fixes.map((f) => f.title).slice(0, 2), ['Remove the drop of index "ix_users_phone" from upgrade()', 'Move the drop of index "ix_users_phone" to downgrade()']);
    assert.deepStrictEqual(finding.fixes.map((f) => !!f.preferred).slice(0, 2), [true, false], 'only the removal cannot lose data');
    project.apply(finding.fixes[0]);
    assert.doesNotMatch(project.read(file), /ix_users_phone/);
    project.assertValidPython(file);
    assert.deepStrictEqual(await project.analyze(), []);
  });

  it('re-creates a dropped index in the generated downgrade from the migration that created it', async () => {
    const file = project.addMigration({ revision: 'c0ffee000002', downRevision: 'c0ffee000001', message: 'drop phone index', upgrade: ["op.drop_index('ix_users_phone', table_name='users')"], downgrade: [] });
    const finding = await only('AG301');
    assert.strictEqual(finding.fixes[0].title, 'Generate downgrade() from upgrade() (inverse operations, reverse order)');
    project.apply(finding.fixes[0]);
    assert.match(project.read(file), /def downgrade\(\) -> None:\n    op\.create_index\('ix_users_phone', 'users', \['phone'\]\)\n/);
    project.assertValidPython(file);
  });
});
