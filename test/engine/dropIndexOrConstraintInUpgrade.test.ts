import * as assert from 'assert';
import { fastApiProject, FixtureProject } from '../support/fixtureProject';

describe('AG103 drop-index-or-constraint-in-upgrade', () => {
  let project: FixtureProject;
  beforeEach(() => {
    project = fastApiProject();
    project.addMigration({
      revision: '0a1b2c3d4e5f',
      downRevision: null,
      message: 'create orders',
      upgrade: [
        "op.create_table('orders', sa.Column('id', sa.Integer(), nullable=False), sa.Column('customer_id', sa.Integer()), sa.Column('email', sa.String()), sa.Column('code', sa.String()), sa.UniqueConstraint('code', name='uq_orders_code'))",
        "op.create_index('ix_orders_email', 'orders', ['email'], unique=False)",
        "op.create_foreign_key('fk_orders_customer', 'orders', 'customers', ['customer_id'], ['id'])",
      ],
      downgrade: ["op.drop_table('orders')"],
    });
  });
  afterEach(() => project.dispose());

  const add = (upgrade: string[], downgrade: string[] = []) =>
    project.addMigration({ revision: '1b2c3d4e5f6a', downRevision: '0a1b2c3d4e5f', message: 'tune orders', upgrade, downgrade });
  const codes = async () => (await project.analyze()).filter((f) => f.code === 'AG103').length;

  it('reports an index dropped and not re-created', async () => {
    add(["op.drop_index('ix_orders_email', table_name='orders')"], ["op.create_index('ix_orders_email', 'orders', ['email'], unique=False)"]);
    assert.strictEqual(await codes(), 1);
  });

  it('does not report an index re-created under the same name (autogenerate changing its columns)', async () => {
    add(["op.drop_index('ix_orders_email', table_name='orders')", "op.create_index('ix_orders_email', 'orders', ['email', 'customer_id'], unique=True)"]);
    assert.strictEqual(await codes(), 0);
  });

  it('does not report a foreign key replaced on the same table', async () => {
    add(["op.drop_constraint('fk_orders_customer', 'orders', type_='foreignkey')", "op.create_foreign_key('fk_orders_customer_cascade', 'orders', 'customers', ['customer_id'], ['id'], ondelete='CASCADE')"]);
    assert.strictEqual(await codes(), 0);
  });

  it('reports a unique constraint dropped inside a batch block', async () => {
    add(["with op.batch_alter_table('orders') as batch_op:", "    batch_op.drop_constraint('uq_orders_code', type_='unique')"]);
    assert.strictEqual(await codes(), 1);
  });

  it('does not report the index drops autogenerate writes before dropping their table', async () => {
    add(["op.drop_index('ix_orders_email', table_name='orders')", "op.drop_table('orders')"]);
    const findings = await project.analyze();
    assert.deepStrictEqual(findings.map((f) => f.code).filter((c) => c.startsWith('AG10')), ['AG101']);
  });

  it('still reports a drop when a later index on other columns is no replacement', async () => {
    add(["op.drop_index('ix_orders_email', table_name='orders')", "op.add_column('orders', sa.Column('placed_at', sa.DateTime(), nullable=True))", "op.create_index('ix_orders_placed_at', 'orders', ['placed_at'])"]);
    assert.strictEqual(await codes(), 1);
  });

  it('does not report an index renamed: same table, same columns as the chain created it with', async () => {
    add(["op.drop_index('ix_orders_email', table_name='orders')", "op.add_column('orders', sa.Column('note', sa.Text(), nullable=True))", "op.create_index('ix_orders_email_v2', 'orders', ['email'], unique=False)"]);
    assert.strictEqual(await codes(), 0);
  });

  it('does not report an index replaced right away by an expression index (false positive fixed)', async () => {
    add(["op.drop_index('ix_orders_email', table_name='orders')", "op.create_index('ix_orders_email_lower', 'orders', [sa.text('lower(email)')], unique=True)"]);
    assert.strictEqual(await codes(), 0);
  });
});
