import * as assert from 'assert';
import type { Finding } from '../../server/src/engine/analysis/finding';
import { fastApiProject, FixtureProject } from '../support/fixtureProject';

/**
 * Rules that judge what a revision does to the schema, replayed through the chain. Each case
 * reproduces a pattern met in real projects' histories.
 */
const ORDERS =
  "op.create_table('orders', sa.Column('id', sa.Integer(), nullable=False), sa.Column('customer_id', sa.Integer(), nullable=True), sa.Column('email', sa.String(length=120), nullable=True), sa.Column('note', sa.String(length=50), nullable=True), sa.ForeignKeyConstraint(['customer_id'], ['customers.id']), sa.PrimaryKeyConstraint('id'))";
const CUSTOMERS = "op.create_table('customers', sa.Column('id', sa.Integer(), nullable=False), sa.Column('name', sa.String(length=80), nullable=True), sa.PrimaryKeyConstraint('id'))";

describe('rules on the schema replayed through the chain', () => {
  let project: FixtureProject;
  beforeEach(() => {
    project = fastApiProject();
    project.addMigration({
      revision: '5e1f00000001',
      downRevision: null,
      message: 'create customers and orders',
      upgrade: [CUSTOMERS, ORDERS, "op.create_index('ix_orders_email', 'orders', ['email'], unique=False)"],
      downgrade: ["op.drop_index('ix_orders_email', table_name='orders')", "op.drop_table('orders')", "op.drop_table('customers')"],
    });
  });
  afterEach(() => project.dispose());

  const revise = (upgrade: string[], downgrade: string[], revision = '5e1f00000002', down: string = '5e1f00000001') =>
    project.addMigration({ revision, downRevision: down, message: `change ${revision}`, upgrade, downgrade });
  const findings = async (code: string): Promise<Finding[]> => (await project.analyze()).filter((f) => f.code === code);
  const lines = async (code: string) => (await findings(code)).map((f) => `${f.range.start.line + 1}: ${f.message}`);

  describe('AG302 downgrade-not-inverse: the state after upgrade() then downgrade() against the state before', () => {
    it('is satisfied when dropping a column takes its index and foreign key along', async () => {
      revise(
        [
          "op.add_column('orders', sa.Column('coupon_id', sa.Integer(), nullable=True))",
          "op.create_index(op.f('ix_orders_coupon_id'), 'orders', ['coupon_id'], unique=False)",
          "op.create_foreign_key(None, 'orders', 'customers', ['coupon_id'], ['id'])",
        ],
        ["op.drop_column('orders', 'coupon_id')"],
      );
      assert.deepStrictEqual(await lines('AG302'), []);
    });

    it('knows which columns a check constraint mentions: dropping the column takes the check along', async () => {
      revise(
        ["op.add_column('orders', sa.Column('sha256_digest', sa.Text(), nullable=True))", "op.create_check_constraint('orders_valid_sha256', 'orders', \"sha256_digest ~* '^[A-F0-9]{64}$'\")"],
        ["op.drop_column('orders', 'sha256_digest')"],
      );
      assert.deepStrictEqual(await lines('AG302'), []);
    });

    it('leaves an unnamed drop of the constraint the upgrade created to AG303 alone', async () => {
      revise(["op.create_unique_constraint(None, 'customers', ['name'])"], ["op.drop_constraint(None, 'customers', type_='unique')"]);
      assert.deepStrictEqual(await lines('AG302'), []);
      assert.strictEqual((await findings('AG303')).length, 1);
    });

    it('matches a constraint created without a name to the name PostgreSQL gives it', async () => {
      revise(["op.create_unique_constraint(None, 'orders', ['email'])"], ["op.drop_constraint('orders_email_key', 'orders', type_='unique')"]);
      assert.deepStrictEqual(await lines('AG302'), []);
    });

    it('needs no undo for a helper table the upgrade creates and drops', async () => {
      revise(
        [
          "op.execute('CREATE TEMPORARY TABLE order_ids AS SELECT id FROM orders')",
          "op.add_column('orders', sa.Column('rank', sa.Integer(), nullable=True))",
          "op.execute('DROP TABLE order_ids')",
        ],
        ["op.drop_column('orders', 'rank')"],
      );
      assert.deepStrictEqual(await lines('AG302'), []);
    });

    it('reports a column upgrade() drops that downgrade() never re-adds, at the drop', async () => {
      revise(["op.drop_column('orders', 'note')", "op.add_column('orders', sa.Column('memo', sa.Text(), nullable=True))"], ["op.drop_column('orders', 'memo')"]);
      assert.deepStrictEqual(await lines('AG302'), ['22: downgrade() does not re-add column "orders.note", which upgrade() drops']);
    });

    it('reports a type the downgrade does not put back, and a type it changes although upgrade() did not', async () => {
      revise(["op.alter_column('orders', 'note', type_=sa.String(length=200), existing_type=sa.String(length=50))"], ["op.alter_column('orders', 'email', type_=sa.String(length=60))"]);
      assert.deepStrictEqual(await lines('AG302'), [
        '22: upgrade() changes the type of "orders.note" and downgrade() does not change it back',
        '26: downgrade() changes the type of "orders.email", which upgrade() did not change',
      ]);
    });

    it('reports a downgrade that drops a table which existed before the upgrade, and never offers a fix that would', async () => {
      revise(["op.add_column('customers', sa.Column('tier', sa.String(length=20), nullable=True))"], ["op.drop_column('customers', 'tier')", "op.drop_table('orders')"]);
      const [finding] = await findings('AG302');
      assert.match(finding.message, /downgrade\(\) drops table "orders", which existed before upgrade\(\): a rollback deletes its rows/);
      assert.deepStrictEqual(finding.fixes.filter((f) => !f.title.startsWith('Ignore')), []);
    });

    it('writes the inverse with real names, only for what the upgrade created', async () => {
      const file = revise(
        ["op.add_column('orders', sa.Column('coupon', sa.String(length=20), nullable=True))", "op.create_index('ix_orders_note', 'orders', ['note'], unique=False)"],
        ["op.drop_column('orders', 'coupon')"],
      );
      const [finding] = await findings('AG302');
      assert.strictEqual(finding.message, 'downgrade() does not drop the index "ix_orders_note" of "orders", which upgrade() creates');
      const fix = finding.fixes.find((f) => f.title.startsWith('Add the 1 missing inverse'))!;
      assert.ok(fix.preferred);
      project.apply(fix);
      project.assertValidPython(file);
      assert.match(project.read(file), /def downgrade\(\) -> None:\n    op\.drop_index\('ix_orders_note', table_name='orders'\)\n    op\.drop_column/);
      assert.deepStrictEqual(await lines('AG302'), []);
    });

    it('stays silent when the downgrade runs what cannot be read (a loop over names)', async () => {
      revise(
        ["op.add_column('orders', sa.Column('a', sa.Integer(), nullable=True))", "op.add_column('orders', sa.Column('b', sa.Integer(), nullable=True))"],
        ["for column in ('a', 'b'):", "    op.drop_column('orders', column)"],
      );
      assert.deepStrictEqual(await lines('AG302'), []);
    });
  });

  describe('AG103 drop-index-or-constraint-in-upgrade: nothing equivalent left', () => {
    it('accepts a unique constraint replaced by a unique index on the same column', async () => {
      revise(
        ["op.create_unique_constraint('uq_orders_email', 'orders', ['email'])"],
        ["op.drop_constraint('uq_orders_email', 'orders', type_='unique')"],
        '5e1f00000002',
      );
      revise(
        ["op.create_index('ux_orders_email', 'orders', ['email'], unique=True)", "op.drop_constraint('uq_orders_email', 'orders', type_='unique')"],
        ["op.create_unique_constraint('uq_orders_email', 'orders', ['email'])", "op.drop_index('ux_orders_email', table_name='orders')"],
        '5e1f00000003',
        '5e1f00000002',
      );
      assert.deepStrictEqual(await lines('AG103'), []);
    });

    it('accepts an index covered by the leading columns of another one', async () => {
      revise(["op.create_index('ix_orders_email_note', 'orders', ['email', 'note'], unique=False)", "op.drop_index('ix_orders_email', table_name='orders')"], []);
      assert.deepStrictEqual(await lines('AG103'), []);
    });

    it('accepts the index and foreign key of a column the same upgrade drops', async () => {
      revise(["op.drop_index('ix_orders_email', table_name='orders')", "op.drop_column('orders', 'email')"], []);
      assert.deepStrictEqual(await lines('AG103'), []);
    });

    it('accepts an index re-created in raw SQL', async () => {
      revise(["op.drop_index('ix_orders_email', table_name='orders')", "op.execute('CREATE INDEX ix_orders_email_lower ON orders (lower(email))')"], []);
      assert.deepStrictEqual(await lines('AG103'), []);
    });

    it('follows a column renamed in the same upgrade to its new foreign key', async () => {
      revise(
        [
          "op.drop_constraint('orders_customer_id_fkey', 'orders', type_='foreignkey')",
          "op.alter_column('orders', 'customer_id', new_column_name='buyer_id')",
          "op.create_foreign_key('orders_buyer_id_fkey', 'orders', 'customers', ['buyer_id'], ['id'])",
        ],
        [],
      );
      assert.deepStrictEqual(await lines('AG103'), []);
    });

    it('is information when the revision says it drops it ("Drop unused indexes", "remove … foreign key")', async () => {
      project.addMigration({
        revision: '5e1f00000002',
        downRevision: '5e1f00000001',
        message: 'Remove orders customer foreign key',
        upgrade: ["op.drop_constraint('orders_customer_id_fkey', 'orders', type_='foreignkey')"],
        downgrade: ["op.create_foreign_key('orders_customer_id_fkey', 'orders', 'customers', ['customer_id'], ['id'])"],
      });
      const [finding] = await findings('AG103');
      assert.strictEqual(finding.severity, 'info');
      assert.match(finding.message, /\(the revision says it drops it\)$/);
    });
    it('still reports a foreign key dropped with nothing in its place', async () => {
      revise(["op.drop_constraint('orders_customer_id_fkey', 'orders', type_='foreignkey')"], []);
      assert.deepStrictEqual(await lines('AG103'), ['22: upgrade() drops constraint "orders_customer_id_fkey" of "orders" and nothing equivalent is left on the table']);
    });
  });

  describe('AG203 and AG101: "managed outside Alembic" needs a history known from an empty database', () => {
    it('calls a drop of a table no migration created AG101 when the history starts on an existing schema', async () => {
      // The first revision alters a table no migration created: the history starts from an existing database.
      project.addMigration({ revision: '5e1f00000000', downRevision: null, message: 'baseline', upgrade: ["op.add_column('legacy_users', sa.Column('flag', sa.Boolean(), nullable=True))"], downgrade: ["op.drop_column('legacy_users', 'flag')"] });
      revise(["op.drop_table('audit_trail')"], []);
      const codes = (await project.analyze()).filter((f) => f.file.endsWith('5e1f00000002_change_5e1f00000002.py')).map((f) => f.code);
      assert.ok(codes.includes('AG101') && !codes.includes('AG203'), codes.join(','));
    });

    it('is no finding for a temporary table the same upgrade created', async () => {
      revise(["op.execute('CREATE TEMPORARY TABLE tmp_totals AS SELECT customer_id, count(*) FROM orders GROUP BY customer_id')", "op.drop_table('tmp_totals')"], []);
      assert.deepStrictEqual((await project.analyze()).filter((f) => ['AG101', 'AG203'].includes(f.code)), []);
    });
  });

  describe('AG509 table-already-exists', () => {
    it('tells tables of different schemas apart, and leaves guarded creates alone', async () => {
      revise(
        [
          "op.create_table('orders', sa.Column('id', sa.Integer(), nullable=False), schema='archive')",
          "if not sa.inspect(op.get_bind()).has_table('customers'):",
          "    op.create_table('customers', sa.Column('id', sa.Integer(), nullable=False))",
        ],
        [],
      );
      assert.deepStrictEqual(await lines('AG509'), []);
    });

    it('reports a table an ancestor created', async () => {
      revise(["op.create_table('orders', sa.Column('id', sa.Integer(), nullable=False))"], []);
      assert.match((await lines('AG509'))[0], /"orders" already exists when this revision runs \(created by 5e1f00000001_create_customers_and_orders\.py\)/);
    });
  });

  describe('AG503 column-type-change knows the old type', () => {
    it('is silent on changes that rewrite nothing', async () => {
      revise(
        [
          "op.alter_column('orders', 'note', type_=sa.String(length=255))",
          "op.alter_column('orders', 'email', type_=sa.Text())",
          "op.alter_column('customers', 'name', type_=sa.Unicode(length=80))",
        ],
        [],
      );
      assert.deepStrictEqual(await lines('AG503'), []);
    });

    it('says when a cast can fail, and reports a rewrite', async () => {
      project.write('pyproject.toml', '[tool.alembic-guard]\ndeploy = "online"\n');
      revise(["op.alter_column('orders', 'note', type_=sa.Integer(), postgresql_using='note::integer')", "op.alter_column('orders', 'customer_id', type_=sa.BigInteger())"], []);
      assert.deepStrictEqual(await lines('AG503'), [
        '22: changing "orders.note" from sa.String(length=50) to sa.Integer() can fail on existing rows (a cast that does not fit aborts the migration) and rewrites the table under an exclusive lock',
        '23: changing the type of "orders.customer_id" from sa.Integer() to sa.BigInteger() rewrites the table and its indexes under an exclusive lock',
      ]);
    });

    it('sees type changes in raw SQL', async () => {
      revise(["op.execute('ALTER TABLE orders ALTER COLUMN note TYPE varchar(20)')"], []);
      assert.match((await lines('AG503'))[0], /changing "orders.note" from sa.String\(length=50\) to varchar\(20\) can fail/);
    });

    it("judges a MySQL project, or a branch for MySQL, by InnoDB's rules: a VARCHAR past 255 bytes or to TEXT copies the table", async () => {
      project.write('pyproject.toml', '[tool.alembic-guard]\ndeploy = "online"\ndialect = "mysql"\n');
      revise(
        [
          "op.alter_column('orders', 'note', type_=sa.String(length=80), existing_type=sa.String(length=50))",
          "op.alter_column('orders', 'note', type_=sa.String(length=60), existing_type=sa.String(length=50))",
          "op.alter_column('orders', 'email', type_=sa.Text(), existing_type=sa.String(length=120))",
          "op.alter_column('customers', 'name', type_=sa.String(length=40))",
        ],
        [],
      );
      assert.deepStrictEqual(await lines('AG503'), [
        '22: changing the type of "orders.note" from sa.String(length=50) to sa.String(length=80) makes MySQL copy the whole table while writes to it wait',
        '24: changing the type of "orders.email" from sa.String(length=120) to sa.Text() makes MySQL copy the whole table while writes to it wait',
        '25: changing "customers.name" from sa.String(length=80) to sa.String(length=40) can fail on existing rows (a cast that does not fit aborts the migration, or truncates outside strict mode) and MySQL copies the whole table while writes to it wait',
      ]);
    });

    it('in a PostgreSQL project, judges the MySQL branch as MySQL and leaves a SQLite branch alone', async () => {
      project.write('pyproject.toml', '[tool.alembic-guard]\ndeploy = "online"\n');
      revise(
        [
          "if op.get_bind().dialect.name == 'mysql':",
          "    op.alter_column('orders', 'email', type_=sa.Text(), existing_type=sa.String(length=120))",
          "elif op.get_bind().dialect.name == 'sqlite':",
          "    op.alter_column('orders', 'customer_id', type_=sa.BigInteger())",
          'else:',
          "    op.alter_column('orders', 'email', type_=sa.Text(), existing_type=sa.String(length=120))",
        ],
        [],
      );
      assert.deepStrictEqual((await lines('AG503')).map((l) => l.split(':')[0]), ['23']);
    });
  });

  describe('lock advice follows how the project deploys', () => {
    const rewrite = () => revise(["op.alter_column('orders', 'customer_id', type_=sa.BigInteger())", "op.create_index('ix_orders_note', 'orders', ['note'])"], []);

    it('is information, saying why, in a history that never guards against locks', async () => {
      rewrite();
      const lockFindings = (await project.analyze()).filter((f) => f.code === 'AG503' || f.code === 'AG505');
      assert.deepStrictEqual(lockFindings.map((f) => `${f.code} ${f.severity}`), ['AG503 info', 'AG505 info']);
      assert.match(lockFindings[0].message, /\(information only: no revision of this project builds an index concurrently, uses autocommit_block\(\), sets lock_timeout or adds a constraint NOT VALID, so it is taken to migrate with the application stopped; set deploy = "online" in \[tool\.alembic-guard\] if migrations run while the application serves\)$/);
    });

    it('is a warning when env.py sets lock_timeout for every migration', async () => {
      rewrite();
      const env = project.read('alembic/env.py');
      project.write('alembic/env.py', env.replace('    with connectable.connect() as connection:\n', '    with connectable.connect() as connection:\n        connection.execute(text("SET lock_timeout = 4000"))\n'));
      const lockFindings = (await project.analyze()).filter((f) => f.code === 'AG503' || f.code === 'AG505');
      assert.deepStrictEqual(lockFindings.map((f) => `${f.code} ${f.severity}`), ['AG503 warning', 'AG505 warning']);
    });

    it('is a warning once the history shows online practice', async () => {
      rewrite();
      revise(['with op.get_context().autocommit_block():', "    op.create_index('ix_customers_name', 'customers', ['name'], postgresql_concurrently=True)"], [], '5e1f00000003', '5e1f00000002');
      const lockFindings = (await project.analyze()).filter((f) => f.code === 'AG503' || f.code === 'AG505');
      assert.deepStrictEqual(lockFindings.map((f) => `${f.code} ${f.severity}`), ['AG503 warning', 'AG505 warning']);
      assert.doesNotMatch(lockFindings[0].message, /information only/);
    });

    it('leaves a branch for another database alone', async () => {
      project.write('pyproject.toml', '[tool.alembic-guard]\ndeploy = "online"\n');
      revise(["if op.get_bind().dialect.name == 'mysql':", "    op.create_index('ix_orders_note', 'orders', ['note'])", 'else:', "    op.create_index('ix_orders_note', 'orders', ['note'], postgresql_where=sa.text('note IS NOT NULL'))"], []);
      assert.deepStrictEqual((await findings('AG505')).map((f) => f.range.start.line + 1), [25]);
    });
  });

  describe('locks PostgreSQL takes for new defaults, foreign keys and unique constraints', () => {
    beforeEach(() => project.write('pyproject.toml', '[tool.alembic-guard]\ndeploy = "online"\n'));

    it('AG510: a volatile default on an existing table, not a constant one, not on a new table', async () => {
      revise(
        [
          "op.add_column('orders', sa.Column('public_id', sa.UUID(), server_default=sa.text('gen_random_uuid()'), nullable=False))",
          "op.add_column('orders', sa.Column('channel', sa.String(length=20), server_default='web', nullable=False))",
          "op.execute('ALTER TABLE customers ADD COLUMN seq serial')",
          "op.create_table('coupons', sa.Column('id', sa.Integer(), nullable=False))",
          "op.add_column('coupons', sa.Column('token', sa.UUID(), server_default=sa.text('gen_random_uuid()')))",
        ],
        [],
      );
      assert.deepStrictEqual(await lines('AG510'), [
        '22: adding "orders.public_id" with the volatile default gen_random_uuid() rewrites every row of "orders" under an exclusive lock; add it without the default and backfill in batches',
        '24: adding "customers.seq" with values from a sequence rewrites every row of "customers" under an exclusive lock; add it without the default and backfill in batches',
      ]);
    });

    it('AG511: a foreign key added to an existing table, fixed by NOT VALID', async () => {
      const file = revise(
        [
          "op.add_column('orders', sa.Column('referrer_id', sa.Integer(), nullable=True))",
          "op.create_foreign_key('fk_orders_referrer_id', 'orders', 'customers', ['referrer_id'], ['id'])",
          "op.execute('ALTER TABLE orders ADD CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID')",
        ],
        ["op.drop_constraint('fk_orders_referrer_id', 'orders', type_='foreignkey')", "op.drop_column('orders', 'referrer_id')"],
      );
      const [finding] = await findings('AG511');
      assert.strictEqual(finding.range.start.line + 1, 23);
      assert.strictEqual((await findings('AG511')).length, 1, 'NOT VALID in SQL is the safe form');
      project.apply(finding.fixes[0]);
      project.assertValidPython(file);
      assert.match(project.read(file), /\['id'\], postgresql_not_valid=True\)/);
      assert.deepStrictEqual(await findings('AG511'), []);
    });

    it('gives no further lock advice on a table the same upgrade already rewrote (it stays locked until commit)', async () => {
      revise(
        [
          "op.add_column('orders', sa.Column('public_id', sa.UUID(), server_default=sa.text('gen_random_uuid()'), nullable=False))",
          "op.create_index('ix_orders_public_id', 'orders', ['public_id'], unique=True)",
          "op.create_foreign_key('fk_orders_customer', 'orders', 'customers', ['customer_id'], ['id'])",
          "op.create_index('ix_customers_name', 'customers', ['name'])",
        ],
        [],
      );
      const lockFindings = (await project.analyze()).filter((f) => ['AG505', 'AG510', 'AG511'].includes(f.code));
      assert.deepStrictEqual(lockFindings.map((f) => `${f.code} ${f.range.start.line + 1}`), ['AG510 22', 'AG505 25']);
    });

    it('gives no further lock advice on a table the same upgrade renamed (the rename already locks it, and is AG504)', async () => {
      revise(["op.rename_table('orders', 'purchases')", "op.create_foreign_key('fk_purchases_customer', 'purchases', 'customers', ['customer_id'], ['id'])"], []);
      const lockFindings = (await project.analyze()).filter((f) => ['AG504', 'AG511'].includes(f.code));
      assert.deepStrictEqual(lockFindings.map((f) => f.code), ['AG504']);
    });

    it('AG512: a unique constraint or primary key on an existing table, not USING INDEX', async () => {
      revise(
        [
          "op.create_unique_constraint('uq_orders_email', 'orders', ['email'])",
          "op.execute('ALTER TABLE customers ADD CONSTRAINT uq_customers_name UNIQUE USING INDEX ix_customers_name')",
        ],
        [],
      );
      assert.deepStrictEqual((await findings('AG512')).map((f) => f.range.start.line + 1), [22]);
    });
  });

  describe('an upgrade that may skip itself', () => {
    beforeEach(() => project.write('pyproject.toml', '[tool.alembic-guard]\ndeploy = "online"\n'));
    const locking = ["op.create_foreign_key('fk_orders_note', 'orders', 'customers', ['customer_id'], ['id'])", "op.create_unique_constraint('uq_orders_email', 'orders', ['email'])", "op.alter_column('orders', 'note', new_column_name='remark')"];

    it('gets no lock advice, nor a NOT NULL column judged against rows, when it opens by returning on a test it cannot see (a replay of an older tool)', async () => {
      revise(['# Skip where the legacy migration already ran', 'if not legacy_utils.is_migration_needed(81):', '    return', '', ...locking, "op.add_column('orders', sa.Column('state', sa.String(length=10), nullable=False))"], []);
      const lockFindings = (await project.analyze()).filter((f) => ['AG501', 'AG504', 'AG511', 'AG512'].includes(f.code));
      assert.deepStrictEqual(lockFindings, []);
    });

    it('still gets it after an early return on the database kind, which leaves PostgreSQL running the rest', async () => {
      revise(["if op.get_bind().dialect.name != 'postgresql':", '    return', ...locking], []);
      const lockFindings = (await project.analyze()).filter((f) => ['AG504', 'AG511', 'AG512'].includes(f.code));
      assert.deepStrictEqual(lockFindings.map((f) => `${f.code} ${f.severity}`), ['AG511 warning', 'AG512 warning', 'AG504 warning']);
    });
  });

  describe('AG305 ddl-error-swallowed', () => {
    it('flags DDL whose error an except swallows, not a probe of session state, not an except that raises again or exits', async () => {
      revise(
        [
          'try:',
          "    op.drop_constraint('uq_orders_email', 'orders', type_='unique')",
          'except Exception:',
          '    pass  # it may not exist',
          'try:',
          "    op.execute('SHOW bdr.permit_ddl_locking')",
          'except sa.exc.ProgrammingError:',
          '    pass',
          'try:',
          "    op.create_index('ix_orders_note', 'orders', ['note'])",
          'except Exception:',
          "    print('index failed')",
          '    raise',
          'try:',
          "    op.create_unique_constraint('uq_orders_note', 'orders', ['note'])",
          'except sa.exc.IntegrityError:',
          "    print('duplicate notes: clean them up first')",
          '    sys.exit(1)',
          "if op.get_bind().dialect.name == 'mysql':",
          '    try:',
          "        op.drop_constraint('orders_ibfk_1', 'orders', type_='foreignkey')",
          '    except Exception:',
          '        pass  # MySQL has no transactional DDL: nothing is aborted',
        ],
        [],
      );
      assert.deepStrictEqual((await findings('AG305')).map((f) => f.range.start.line + 1), [23]);
    });
  });

  describe('AG502 set-not-null', () => {
    it('is silent for a column this upgrade adds and backfills, and an error for one it adds with no value', async () => {
      revise(
        [
          "op.add_column('orders', sa.Column('status', sa.String(length=20), nullable=True))",
          "op.execute(\"UPDATE public.orders SET status = 'open'\")",
          "op.alter_column('orders', 'status', nullable=False)",
          "op.add_column('orders', sa.Column('channel', sa.String(length=20), nullable=True))",
          "op.alter_column('orders', 'channel', nullable=False)",
        ],
        ["op.drop_column('orders', 'channel')", "op.drop_column('orders', 'status')"],
      );
      const reports = (await findings('AG502')).map((f) => `${f.range.start.line + 1} ${f.severity}`);
      assert.deepStrictEqual(reports, ['26 error']);
    });
    it('is silent on a column the chain already made NOT NULL', async () => {
      revise(["op.alter_column('orders', 'id', nullable=False)"], []);
      assert.deepStrictEqual(await findings('AG502'), []);
    });
  });

  describe('AG105 table-recreated', () => {
    it('names the table whose columns the new one takes, in either order', async () => {
      revise(
        [
          "op.drop_table('orders')",
          "op.create_table('purchases', sa.Column('id', sa.Integer(), nullable=False), sa.Column('customer_id', sa.Integer(), nullable=True), sa.Column('email', sa.String(length=120), nullable=True), sa.Column('note', sa.String(length=50), nullable=True))",
        ],
        [],
      );
      assert.deepStrictEqual(await lines('AG105'), ['22: upgrade() creates "purchases" with the columns of "orders" and drops "orders": a rename that loses every row; use op.rename_table']);
    });

    it('is no finding when the rows are copied across first', async () => {
      revise(
        [
          "op.create_table('purchases', sa.Column('id', sa.Integer(), nullable=False), sa.Column('customer_id', sa.Integer(), nullable=True), sa.Column('email', sa.String(length=120), nullable=True), sa.Column('note', sa.String(length=50), nullable=True))",
          "op.execute('INSERT INTO purchases SELECT id, customer_id, email, note FROM orders')",
          "op.drop_table('orders')",
        ],
        [],
      );
      assert.deepStrictEqual(await lines('AG105'), []);
    });
  });

  describe('new findings from the replay', () => {
    it('AG304: a column renamed by an earlier revision, used under its old name', async () => {
      revise(["op.alter_column('orders', 'note', new_column_name='remark')"], ["op.alter_column('orders', 'remark', new_column_name='note')"]);
      revise(["op.drop_column('orders', 'note')"], [], '5e1f00000003', '5e1f00000002');
      assert.deepStrictEqual(await lines('AG304'), ['22: upgrade() uses column "orders.note", which does not exist at this point of the chain: the migration fails when it runs']);
    });

    it('AG513: a use_alter foreign key inside create_table, created by the fix', async () => {
      const file = revise(
        [
          "op.create_table('coupons', sa.Column('id', sa.Integer(), nullable=False), sa.Column('order_id', sa.Integer(), nullable=True), sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name='fk_coupons_order_id', use_alter=True))",
        ],
        ["op.drop_table('coupons')"],
      );
      const [finding] = await findings('AG513');
      assert.match(finding.message, /"fk_coupons_order_id" of "coupons" \(order_id\) → "orders" has use_alter=True/);
      project.apply(finding.fixes[0]);
      project.assertValidPython(file);
      assert.match(project.read(file), /op\.create_foreign_key\("fk_coupons_order_id", "coupons", "orders", \["order_id"\], \["id"\]\)/);
    });

    it('AG508 ignores a use_alter foreign key to a table created later', async () => {
      revise(
        [
          "op.create_table('coupons', sa.Column('id', sa.Integer(), nullable=False), sa.Column('voucher_id', sa.Integer(), sa.ForeignKey('vouchers.id', use_alter=True, name='fk_coupons_voucher')))",
          "op.create_table('vouchers', sa.Column('id', sa.Integer(), nullable=False))",
        ],
        ["op.drop_table('vouchers')", "op.drop_table('coupons')"],
      );
      assert.deepStrictEqual(await lines('AG508'), []);
    });

    it('AG514: DROP … CASCADE names the foreign keys that go with it', async () => {
      revise(["op.execute('ALTER TABLE customers DROP CONSTRAINT customers_pkey CASCADE')"], []);
      assert.deepStrictEqual(await lines('AG514'), ['22: upgrade() drops constraint "customers_pkey" with CASCADE: it also drops the foreign key of "orders" (customer_id)']);
    });
  });

  describe('AG301 empty-downgrade', () => {
    it('accepts a docstring that explains the deliberate no-op, not one that says nothing', async () => {
      const file = revise(["op.add_column('orders', sa.Column('memo', sa.Text(), nullable=True))"], ['"""We do not drop memo here: support staff keep writing into it during rollbacks."""']);
      assert.deepStrictEqual(await lines('AG301'), []);
      project.write(file, project.read(file).replace(/"""We do not[^"]*"""/, '"""Do nothing"""'));
      assert.strictEqual((await lines('AG301')).length, 1);
    });

    it('reports a migration with no downgrade() where the project writes them', async () => {
      const file = revise(["op.add_column('orders', sa.Column('memo', sa.Text(), nullable=True))"], []);
      project.write(file, project.read(file).replace(/\n\ndef downgrade\(\) -> None:\n    pass\n/, '\n'));
      assert.match((await lines('AG301'))[0], /no downgrade\(\) although the project's other migrations do/);
    });
  });
});
