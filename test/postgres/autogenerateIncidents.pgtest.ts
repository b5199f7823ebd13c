import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Finding } from '../../server/src/engine/analysis/finding';
import { alembic, autogenerate, initAlembicProject, upgradeDowngradeUpgrade } from '../support/alembicProjectOnDisk';
import { runCli } from '../support/cliRunner';
import { FixtureProject } from '../support/fixtureProject';
import { PostgresCluster } from '../support/postgresCluster';

const USER = `from sqlalchemy import Column, Integer, String

from app.models.base import Base


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    email = Column(String(255), nullable=False, unique=True)
`;

const JOURNEY_TEMPLATE = `from sqlalchemy import Column, ForeignKey, Integer, Numeric, String

from app.models.base import Base


class JourneyTemplate(Base):
    __tablename__ = "journey_templates"

    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"), nullable=False, index=True)
    name = Column(String(120), nullable=False)
    distance_miles = Column(Numeric(8, 2), nullable=False)
`;

const BETTER_AUTH_SQL = `
CREATE TABLE "user" (id text PRIMARY KEY, name text NOT NULL, email text NOT NULL UNIQUE, "emailVerified" boolean NOT NULL, "createdAt" timestamp NOT NULL, "updatedAt" timestamp NOT NULL);
CREATE TABLE session (id text PRIMARY KEY, "expiresAt" timestamp NOT NULL, token text NOT NULL UNIQUE, "userId" text NOT NULL REFERENCES "user" (id) ON DELETE CASCADE, "createdAt" timestamp NOT NULL, "updatedAt" timestamp NOT NULL);
CREATE TABLE account (id text PRIMARY KEY, "accountId" text NOT NULL, "providerId" text NOT NULL, "userId" text NOT NULL REFERENCES "user" (id) ON DELETE CASCADE, "createdAt" timestamp NOT NULL, "updatedAt" timestamp NOT NULL);
CREATE TABLE verification (id text PRIMARY KEY, identifier text NOT NULL, value text NOT NULL, "expiresAt" timestamp NOT NULL);
INSERT INTO "user" VALUES ('u1', 'Ada', 'ada@example.com', true, now(), now());
INSERT INTO session VALUES ('s1', now() + interval '1 day', 'tok-1', 'u1', now(), now());
INSERT INTO account VALUES ('a1', 'gh-1', 'github', 'u1', now(), now());
INSERT INTO verification VALUES ('v1', 'ada@example.com', '123456', now() + interval '1 hour');
`;

describe('seed incidents reproduced with real autogenerate, fixed, and run on PostgreSQL', function () {
  this.timeout(180000);
  let cluster: PostgresCluster;
  let project: FixtureProject | undefined;
  before(async () => (cluster = await PostgresCluster.start()));
  after(async () => cluster?.stop());
  afterEach(() => project?.dispose());

  const findingsIn = (findings: Finding[], relative: string) => findings.filter((f) => f.file === path.join(project!.root, relative)).map((f) => f.code).sort();

  it('seed 001: a model missing from models/__init__.py gets its table dropped; the fix keeps every row', async () => {
    cluster.createDatabase('expense_flow');
    project = initAlembicProject(cluster.url('expense_flow'), { 'user.py': USER, 'journey_template.py': JOURNEY_TEMPLATE }, 'from app.models.base import Base\nfrom app.models.user import User\nfrom app.models.journey_template import JourneyTemplate\n');
    const initial = autogenerate(project, 'initial');
    alembic(project, 'upgrade', 'head');
    cluster.psql('expense_flow', "INSERT INTO users (id, email) VALUES (1, 'ada@example.com'); INSERT INTO journey_templates (user_id, name, distance_miles) VALUES (1, 'Office', 12.5), (1, 'Client', 40), (1, 'Airport', 22.75)");

    // The incident: the import is lost, a new column is added, autogenerate runs.
    project.write('app/models/__init__.py', 'from app.models.base import Base\nfrom app.models.user import User\n');
    project.write('app/models/user.py', USER + '    subscription_tier = Column(String(32), nullable=True)\n');
    const dangerous = autogenerate(project, 'add subscription tier');
    assert.match(project.read(dangerous), /op\.drop_table\('journey_templates'\)/, 'real autogenerate writes the drop');

    const findings = await project.analyze();
    assert.deepStrictEqual(findingsIn(findings, dangerous), ['AG202', 'AG206'], 'the drop of the unregistered model table, in an unreviewed migration');
    assert.deepStrictEqual(findingsIn(findings, initial), [], 'the healthy migration is not');
    assert.deepStrictEqual(findingsIn(findings, 'app/models/journey_template.py'), ['AG201']);

    const fix = findings.find((f) => f.code === 'AG202')!.fixes.find((f) => f.preferred)!;
    project.apply(fix);
    upgradeDowngradeUpgrade(project);
    assert.strictEqual(cluster.psql('expense_flow', 'SELECT count(*) FROM journey_templates'), '3');
    assert.strictEqual(cluster.psql('expense_flow', "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_journey_templates_user_id'"), '1', 'its index too');
    assert.strictEqual(cluster.psql('expense_flow', "SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'subscription_tier'"), '1');
    assert.ok(!(await project.analyze()).some((f) => f.code === 'AG201' || f.code === 'AG202'));
  });

  it('seed 000: autogenerate drops the Better Auth tables; excluding them in env.py keeps their rows and stops future drops', async () => {
    cluster.createDatabase('akleao');
    cluster.psql('akleao', BETTER_AUTH_SQL);
    project = initAlembicProject(cluster.url('akleao'), { 'user.py': USER }, 'from app.models.base import Base\nfrom app.models.user import User\n');
    const dangerous = autogenerate(project, 'create users');
    const text = project.read(dangerous);
    for (const table of ['user', 'session', 'account', 'verification']) assert.match(text, new RegExp(`op\\.drop_table\\('${table}'\\)`), `real autogenerate drops ${table}`);

    const findings = await project.analyze();
    assert.deepStrictEqual(findings.filter((f) => f.code === 'AG203').length, 4);
    assert.ok(findings.some((f) => f.code === 'AG204' && f.file.endsWith('env.py')));
    const fix = findings.find((f) => f.code === 'AG203')!.fixes.find((f) => /all 4 unmanaged tables/.test(f.title))!;
    project.apply(fix);
    project.assertValidPython('alembic/env.py');

    upgradeDowngradeUpgrade(project);
    for (const table of ['"user"', 'session', 'account', 'verification']) assert.strictEqual(cluster.psql('akleao', `SELECT count(*) FROM ${table}`), '1', `${table} kept its row`);
    assert.deepStrictEqual((await project.analyze()).filter((f) => /AG20[34]/.test(f.code)), []);

    // The include_object written by the fix is real: the next autogenerate leaves the tables alone.
    const next = autogenerate(project, 'nothing changed');
    assert.doesNotMatch(project.read(next), /drop_table/);
  });

  it('generated downgrades, removed drops and removed markers all run forward and back', async () => {
    cluster.createDatabase('orders_app');
    const ORDER = `from sqlalchemy import Column, Integer, String

from app.models.base import Base


class Order(Base):
    __tablename__ = "orders"

    id = Column(Integer, primary_key=True)
    reference = Column(String(40), nullable=False, index=True)
`;
    project = initAlembicProject(cluster.url('orders_app'), { 'user.py': USER, 'order.py': ORDER }, 'from app.models.base import Base\nfrom app.models.user import User\nfrom app.models.order import Order\n');
    const initial = autogenerate(project, 'initial');
    const base = /^revision = '([0-9a-f]+)'/m.exec(project.read(initial))![1];
    alembic(project, 'upgrade', 'head');
    cluster.psql('orders_app', "INSERT INTO users (id, email) VALUES (1, 'ada@example.com'); INSERT INTO orders (reference) VALUES ('A-1'), ('A-2')");

    // Hand-written the way people write them: an index dropped by mistake, a downgrade left empty.
    project.addMigration({
      revision: '5d1e2f3a4b5c',
      downRevision: base,
      message: 'add order details',
      upgrade: [
        "op.drop_index('ix_orders_reference', table_name='orders')",
        "op.add_column('orders', sa.Column('user_id', sa.Integer(), nullable=True))",
        "op.create_index(op.f('ix_orders_user_id'), 'orders', ['user_id'], unique=False)",
        "op.create_table('order_lines', sa.Column('id', sa.Integer(), nullable=False), sa.Column('order_id', sa.Integer(), nullable=False), sa.Column('sku', sa.String(length=32), nullable=False), sa.PrimaryKeyConstraint('id'))",
        "op.create_foreign_key('fk_order_lines_order', 'order_lines', 'orders', ['order_id'], ['id'])",
        "op.create_unique_constraint('uq_users_email_lower', 'users', ['email'])",
        "op.alter_column('users', 'email', new_column_name='email_address', existing_type=sa.String(length=255))",
      ],
      downgrade: [],
      autogenerated: true,
    });
    const findings = await project.analyze();
    assert.deepStrictEqual(findings.filter((f) => f.file.endsWith('5d1e2f3a4b5c_add_order_details.py')).map((f) => f.code).sort(), ['AG103', 'AG206', 'AG301', 'AG504', 'AG505', 'AG512']);
    const fixFor = async (code: string, title: RegExp) => {
      const finding = (await project!.analyze()).find((f) => f.code === code)!;
      const fix = finding.fixes.find((f) => title.test(f.title));
      assert.ok(fix, `${code}: ${finding.fixes.map((f) => f.title).join(' | ')}`);
      project!.apply(fix);
    };
    // The generated downgrade re-creates the dropped index from the migration that created it.
    await fixFor('AG301', /^Generate downgrade\(\) from upgrade\(\)/);
    assert.match(project.read('alembic/versions/5d1e2f3a4b5c_add_order_details.py'), /op\.create_index\(op\.f\('ix_orders_reference'\), 'orders', \['reference'\], unique=False\)/);
    await fixFor('AG103', /^Remove the drop of index "ix_orders_reference" and its re-create in downgrade\(\)$/);
    await fixFor('AG206', /^Remove the autogenerate markers/);
    // The index on the existing table is built concurrently, outside the transaction.
    await fixFor('AG505', /^Build it concurrently inside autocommit_block\(\)/);
    // Left for a person: the rename, and the unique constraint built under lock on a table with rows.
    assert.deepStrictEqual((await project.analyze()).map((f) => f.code).sort(), ['AG504', 'AG512']);
    upgradeDowngradeUpgrade(project);
    alembic(project, 'downgrade', 'base');
    alembic(project, 'upgrade', 'head');
    assert.strictEqual(cluster.psql('orders_app', "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_orders_reference'"), '1');
    assert.strictEqual(cluster.psql('orders_app', "SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'email_address'"), '1');
  });

  it("review --sql shows the SQL the project's own Alembic renders offline (from its .venv)", async () => {
    project = initAlembicProject(cluster.url('offline_sql'), { 'user.py': USER }, 'from app.models.base import Base\nfrom app.models.user import User\n');
    fs.mkdirSync(project.path('.venv/bin'), { recursive: true });
    fs.symlinkSync('/usr/bin/python3', project.path('.venv/bin/python'));
    const file = project.addMigration({
      revision: '0ff11e5a1e00',
      downRevision: null,
      message: 'create users',
      upgrade: ["op.create_table('users', sa.Column('id', sa.Integer(), nullable=False), sa.Column('email', sa.String(length=255), nullable=False), sa.PrimaryKeyConstraint('id'))"],
      downgrade: ["op.drop_table('users')"],
    });
    const { stdout } = runCli(['review', project.path(file), '--sql', '--format', 'json']);
    const review = JSON.parse(stdout);
    assert.match(review.offlineSql.command, /\.venv\/bin\/python -m alembic -c .*alembic\.ini upgrade 0ff11e5a1e00 --sql$/);
    assert.match(review.offlineSql.sql, /CREATE TABLE users \(/);
    assert.match(review.offlineSql.sql, /INSERT INTO alembic_version \(version_num\) VALUES \('0ff11e5a1e00'\)/);
  });
});
