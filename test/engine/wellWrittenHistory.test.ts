import * as assert from 'assert';
import { fastApiProject, FixtureProject } from '../support/fixtureProject';

/**
 * Migrations written the way careful teams write them. Every finding here would be a false
 * positive unless listed as expected with the reason a reviewer would still want it.
 */
describe('a well-written history (false-positive guard)', () => {
  let project: FixtureProject;
  before(() => {
    project = fastApiProject();
    const add = project.addMigration.bind(project);
    add({
      revision: '0a0000000001',
      downRevision: null,
      message: 'create users and orders',
      upgrade: [
        "op.create_table('users', sa.Column('id', sa.Integer(), nullable=False), sa.Column('email', sa.String(length=255), nullable=False), sa.PrimaryKeyConstraint('id', name=op.f('pk_users')))",
        "op.create_index(op.f('ix_users_email'), 'users', ['email'], unique=True)",
        "op.create_table('orders', sa.Column('id', sa.Integer(), nullable=False), sa.Column('user_id', sa.Integer(), nullable=False), sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_orders_user_id_users')), sa.PrimaryKeyConstraint('id', name=op.f('pk_orders')))",
      ],
      downgrade: ["op.drop_table('orders')", "op.drop_index(op.f('ix_users_email'), table_name='users')", "op.drop_table('users')"],
    });
    add({
      revision: '0a0000000002',
      downRevision: '0a0000000001',
      message: 'expand: add orders.status nullable with a concurrent index',
      upgrade: [
        "status = postgresql.ENUM('pending', 'paid', 'refunded', name='order_status')",
        'status.create(op.get_bind(), checkfirst=True)',
        "op.add_column('orders', sa.Column('status', status, nullable=True))",
        'with op.get_context().autocommit_block():',
        "    op.create_index('ix_orders_status', 'orders', ['status'], postgresql_concurrently=True)",
      ],
      downgrade: [
        'with op.get_context().autocommit_block():',
        "    op.drop_index('ix_orders_status', table_name='orders', postgresql_concurrently=True)",
        "op.drop_column('orders', 'status')",
        "postgresql.ENUM(name='order_status').drop(op.get_bind(), checkfirst=True)",
      ],
      extraImports: ['from sqlalchemy.dialects import postgresql'],
    });
    add({
      revision: '0a0000000003',
      downRevision: '0a0000000002',
      message: 'add server-defaulted flags and a renamed index',
      upgrade: [
        "op.add_column('users', sa.Column('is_active', sa.Boolean(), nullable=False, server_default=sa.true()))",
        'with op.get_context().autocommit_block():',
        "    op.drop_index(op.f('ix_users_email'), table_name='users', postgresql_concurrently=True)",
        "    op.create_index('ix_users_email_lower', 'users', [sa.text('lower(email)')], unique=True, postgresql_concurrently=True)",
      ],
      downgrade: ["op.drop_index('ix_users_email_lower', table_name='users')", "op.create_index(op.f('ix_users_email'), 'users', ['email'], unique=True)", "op.drop_column('users', 'is_active')"],
    });
    add({
      revision: '0a0000000004',
      downRevision: '0a0000000003',
      message: 'add suspended status',
      upgrade: ['with op.get_context().autocommit_block():', "    op.execute(\"ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'suspended'\")"],
      downgrade: ['# PostgreSQL cannot remove an enum value; keeping it is harmless.', 'pass'],
    });
    add({
      revision: '0a0000000005',
      downRevision: '0a0000000004',
      message: 'create audit log with an index on a new table',
      upgrade: [
        "op.create_table('audit_log', sa.Column('id', sa.BigInteger(), nullable=False), sa.Column('user_id', sa.Integer(), nullable=True), sa.Column('action', sa.String(length=50), nullable=False), sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='SET NULL'), sa.PrimaryKeyConstraint('id'))",
        "op.create_index('ix_audit_log_user_id', 'audit_log', ['user_id'])",
        "op.add_column('audit_log', sa.Column('created_at', sa.DateTime(), nullable=False))",
      ],
      downgrade: ["op.drop_index('ix_audit_log_user_id', table_name='audit_log')", "op.drop_table('audit_log')"],
    });
    add({
      revision: '0a0000000006',
      downRevision: '0a0000000005',
      message: 'tidy audit log in batch mode',
      upgrade: [
        "with op.batch_alter_table('audit_log', schema=None) as batch_op:",
        "    batch_op.alter_column('action', existing_type=sa.String(length=50), comment='what the user did')",
        "    batch_op.create_check_constraint('ck_audit_log_action', \"action <> ''\")",
      ],
      downgrade: ["with op.batch_alter_table('audit_log', schema=None) as batch_op:", "    batch_op.drop_constraint('ck_audit_log_action', type_='check')", "    batch_op.alter_column('action', existing_type=sa.String(length=50), comment=None)"],
    });
  });
  after(() => project.dispose());

  it('reports nothing', async () => {
    const findings = await project.analyze();
    assert.deepStrictEqual(
      findings.map((f) => `${f.file.split('/').pop()}:${f.range.start.line + 1} ${f.code} ${f.message}`),
      [],
    );
  });

  it('excludes files matched by `exclude` globs', async () => {
    const extra = project.addMigration({ revision: '0a0000000007', downRevision: '0a0000000006', message: 'legacy cleanup', upgrade: ["op.drop_table('orders')"], downgrade: ['pass  # legacy'] });
    assert.ok((await project.analyze()).some((f) => f.code === 'AG101'));
    project.write('pyproject.toml', '[tool.alembic-guard]\nexclude = ["alembic/versions/*_legacy_cleanup.py"]\n');
    assert.deepStrictEqual(await project.analyze(), []);
    project.write('pyproject.toml', '');
    require('fs').rmSync(project.path(extra));
  });
});
