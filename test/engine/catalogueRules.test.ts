import * as assert from 'assert';
import type { Finding } from '../../server/src/engine/analysis/finding';
import { fastApiProject, FixtureProject } from '../support/fixtureProject';

const USERS = "op.create_table('users', sa.Column('id', sa.Integer(), nullable=False), sa.Column('email', sa.String(length=255), nullable=False), sa.Column('nickname', sa.String(length=50), nullable=True), sa.PrimaryKeyConstraint('id'))";

describe('the rest of the catalogue, in context', () => {
  let project: FixtureProject;
  beforeEach(() => {
    project = fastApiProject();
    project.addMigration({ revision: '000000000001', downRevision: null, message: 'create users', upgrade: [USERS], downgrade: ["op.drop_table('users')"] });
  });
  afterEach(() => project.dispose());

  const migrate = (upgrade: string[], downgrade: string[] = ['pass  # deliberate: covered elsewhere'], extra: Partial<Parameters<FixtureProject['addMigration']>[0]> = {}) =>
    project.addMigration({ revision: '000000000002', downRevision: '000000000001', message: 'change users', upgrade, downgrade, ...extra });
  const findings = async (code: string, options = {}): Promise<Finding[]> => (await project.analyze(options)).filter((f) => f.code === code);
  const fixAndCheck = async (code: string, file: string, title: RegExp) => {
    const finding = (await findings(code))[0];
    assert.ok(finding, `no ${code}`);
    const fix = finding.fixes.find((f) => title.test(f.title));
    assert.ok(fix, finding.fixes.map((f) => f.title).join(' | '));
    project.apply(fix);
    project.assertValidPython(file);
    assert.deepStrictEqual(await findings(code), []);
  };

  describe('AG104 protected-table-touched', () => {
    it('flags altering a table a preset protects, and replaces AG102 on it', async () => {
      project.write('pyproject.toml', '[tool.alembic-guard]\npresets = ["better-auth"]\n');
      migrate(["op.drop_column('session', 'ipAddress')", "op.alter_column('account', 'password', type_=sa.Text())"]);
      const codes = (await project.analyze()).map((f) => f.code);
      assert.strictEqual(codes.filter((c) => c === 'AG104').length, 2);
      assert.ok(!codes.includes('AG102'));
    });
    it('flags a drop of a protected table the chain created (instead of AG101)', async () => {
      project.write('pyproject.toml', '[tool.alembic-guard]\nprotected-tables = ["users"]\n');
      migrate(["op.drop_table('users')"]);
      const codes = (await project.analyze()).map((f) => f.code);
      assert.ok(codes.includes('AG104') && !codes.includes('AG101'), codes.join());
    });
  });

  describe('AG106 truncate-or-delete-all', () => {
    it('flags TRUNCATE and DELETE without WHERE, not a DELETE with WHERE', async () => {
      migrate(['op.execute("TRUNCATE TABLE audit_log")', "op.execute(sa.text('DELETE FROM sessions'))", 'op.execute("DELETE FROM sessions WHERE expires_at < now()")']);
      assert.strictEqual((await findings('AG106')).length, 2);
    });
  });

  describe('AG302 downgrade-not-inverse', () => {
    it('flags an upgrade operation the downgrade forgets, and adds its inverse', async () => {
      const file = migrate(
        ["op.add_column('users', sa.Column('phone', sa.String(), nullable=True))", "op.create_index('ix_users_email', 'users', ['email'])"],
        ["op.drop_column('users', 'phone')"],
      );
      assert.strictEqual((await findings('AG302')).length, 1);
      await fixAndCheck('AG302', file, /^Add the 1 missing inverse/);
      assert.match(project.read(file), /def downgrade\(\) -> None:\n    op\.drop_index\('ix_users_email', table_name='users'\)\n    op\.drop_column\('users', 'phone'\)/);
    });
    it('knows that dropping a column removes its index (false positive fixed)', async () => {
      migrate(["op.add_column('users', sa.Column('phone', sa.String(), nullable=True))", "op.create_index('ix_users_phone', 'users', ['phone'])"], ["op.drop_column('users', 'phone')"]);
      assert.deepStrictEqual(await findings('AG302'), []);
    });
    it('counts a downgrade that drops the table as undoing everything on it (false positive fixed)', async () => {
      migrate(["op.create_table('teams', sa.Column('id', sa.Integer(), nullable=False))", "op.add_column('teams', sa.Column('slug', sa.String(), nullable=True))", "op.create_index('ix_teams_slug', 'teams', ['slug'])"], ["op.drop_table('teams')"]);
      assert.deepStrictEqual(await findings('AG302'), []);
    });
    it('accepts a downgrade that deliberately refuses to run', async () => {
      migrate(["op.add_column('users', sa.Column('phone', sa.String(), nullable=True))"], ['raise NotImplementedError("phone numbers cannot be restored")']);
      assert.deepStrictEqual(await findings('AG302'), []);
    });
  });

  describe('AG303 unnamed-constraint-drop', () => {
    it("names the constraint as PostgreSQL named it from the migration's own create", async () => {
      const file = migrate(
        ["op.add_column('users', sa.Column('team_id', sa.Integer(), nullable=True))", "op.create_foreign_key(None, 'users', 'teams', ['team_id'], ['id'])"],
        ["op.drop_constraint(None, 'users', type_='foreignkey')", "op.drop_column('users', 'team_id')"],
      );
      await fixAndCheck('AG303', file, /^Name the constraint "users_team_id_fkey"/);
      assert.match(project.read(file), /op\.drop_constraint\('users_team_id_fkey', 'users', type_='foreignkey'\)/);
    });
  });

  describe('AG401 data-operation', () => {
    it('flags UPDATE, INSERT, sa.table() expressions and bulk_insert; policy changes severity', async () => {
      migrate([
        'op.execute("UPDATE users SET email = lower(email) WHERE email <> lower(email)")',
        "users = sa.table('users', sa.column('id', sa.Integer), sa.column('email', sa.String))",
        "op.execute(users.update().where(users.c.email.is_(None)).values(email=''))",
        "op.bulk_insert(users, [{'id': 1, 'email': 'admin@example.com'}])",
      ]);
      const found = await findings('AG401');
      // Rewriting existing rows is a warning; a row of configuration written out in the migration is information.
      assert.deepStrictEqual(found.map((f) => f.severity), ['warning', 'warning', 'info']);
      project.write('pyproject.toml', '[tool.alembic-guard]\ndata-migrations = "forbid"\n');
      assert.ok((await findings('AG401')).every((f) => f.severity === 'error'));
      project.write('pyproject.toml', '[tool.alembic-guard]\ndata-migrations = "allow"\n');
      assert.deepStrictEqual(await findings('AG401'), []);
    });
    it('is information for the backfill of a column this upgrade adds, and nothing for rows of a table it creates', async () => {
      migrate([
        "op.add_column('users', sa.Column('plan', sa.String(length=20), nullable=True))",
        'op.execute("UPDATE users SET plan = \'free\'")',
        "plans = op.create_table('plans', sa.Column('code', sa.String(length=20), nullable=False))",
        "op.bulk_insert(plans, [{'code': 'free'}, {'code': 'pro'}])",
        'op.execute("INSERT INTO plans (code) VALUES (\'team\')")',
      ]);
      const found = await findings('AG401');
      assert.deepStrictEqual(found.map((f) => `${f.severity} ${f.message}`), ['info upgrade() changes data: UPDATE users fills in plan, added by this upgrade']);
    });
    it('is information for an update expression that fills in a column this upgrade adds', async () => {
      migrate([
        "op.add_column('users', sa.Column('plan', sa.String(length=20), nullable=True))",
        "users = sa.table('users', sa.column('plan', sa.String))",
        "op.execute(users.update().values(plan='free'))",
      ]);
      assert.deepStrictEqual((await findings('AG401')).map((f) => f.severity), ['info']);
    });
    it('reads SQL kept in a variable or put together with an f-string, +, % or .format()', async () => {
      migrate([
        "op.add_column('users', sa.Column('plan', sa.String(length=20), nullable=True))",
        'update_query = """',
        "    UPDATE users SET plan = 'free' WHERE plan IS NULL",
        '"""',
        'op.get_bind().execute(sa.text(update_query))',
        "for table in ('orders', 'invoices'):",
        `    op.execute(f"DELETE FROM {table} WHERE created_at < now() - interval '1 year'")`,
        'op.execute("UPDATE " + "accounts" + " SET active = true WHERE active IS NULL")',
        `op.execute("INSERT INTO settings (key, value) VALUES ('%s', 'on')" % flag)`,
        'op.execute("UPDATE {} SET archived = false".format(archive_table))',
      ]);
      assert.deepStrictEqual((await findings('AG401')).map((f) => `${f.range.start.line + 1} ${f.severity} ${f.message}`), [
        '26 info upgrade() changes data: UPDATE users fills in plan, added by this upgrade',
        '27 warning upgrade() deletes rows in a loop (DELETE {table})',
        '29 warning upgrade() changes data: UPDATE accounts',
        '30 info upgrade() changes data: INSERT of 1 constant row into settings',
        '31 warning upgrade() changes data: UPDATE {archive_table}',
      ]);
    });
    it('takes a schema change on a table named at run time as unknown, not as a change to some table', async () => {
      migrate(["for table in ('orders', 'invoices'):", '    op.execute(f"ALTER TABLE {table} DROP COLUMN legacy_code")'], ['pass']);
      const found = await project.analyze();
      assert.deepStrictEqual(found.filter((f) => ['AG102', 'AG302', 'AG604'].includes(f.code)).map((f) => f.code), []);
    });
    it('reports a batched backfill loop once, as information', async () => {
      migrate([
        'conn = op.get_bind()',
        'while True:',
        '    done = conn.execute(sa.text("UPDATE users SET email = lower(email) WHERE id IN (SELECT id FROM users WHERE email <> lower(email) LIMIT 1000)"))',
        '    if done.rowcount == 0:',
        '        break',
      ]);
      const found = await findings('AG401');
      assert.strictEqual(found.length, 1);
      assert.strictEqual(found[0].severity, 'info');
    });
    it('flags writes through an ORM session, as data migrations written with models do', async () => {
      migrate([
        'bind = op.get_bind()',
        'session = orm.Session(bind=bind)',
        "session.add(User(email='admin@example.com'))",
        "session.query(User).filter(User.email.is_(None)).update({'email': ''})",
        "db.session.query(User).filter(User.id > 100).delete()",
        "orm.Session(bind=bind).merge(User(id=1, email='root@example.com'))",
        'session.commit()',
      ]);
      assert.deepStrictEqual(
        (await findings('AG401')).map((f) => f.message),
        [
          'upgrade() changes data: session.add() through the ORM',
          'upgrade() changes data: session.query().update() through the ORM',
          'upgrade() changes data: session.query().delete() through the ORM',
          'upgrade() changes data: session.merge() through the ORM',
        ],
      );
    });
    it('flags a query kept in a variable and deleted, and rows loaded, changed and committed', async () => {
      migrate([
        'session = orm.Session(bind=op.get_bind())',
        'stale = session.query(Token).filter(Token.expired.is_(True))',
        'stale.delete()',
        'for user in session.query(User).filter(User.plan.is_(None)):',
        "    user.plan = 'free'",
        'session.commit()',
        'admin = session.query(User).filter(User.id == 1).first()',
        'print(admin)',
        'session.flush()',
      ]);
      assert.deepStrictEqual((await findings('AG401')).map((f) => `${f.range.start.line + 1} ${f.message}`), [
        '24 upgrade() changes data: session.query().delete() through the ORM',
        '27 upgrade() changes data: session.commit() of rows loaded and changed through the ORM',
      ]);
    });
    it('counts staged ORM changes only when the session flushes them', async () => {
      migrate([
        'session = orm.Session(bind=op.get_bind())',
        "for token in session.query(Token).filter(Token.expired.is_(True)).all():",
        '    session.delete(token)',
      ]);
      assert.deepStrictEqual(await findings('AG401'), [], 'a session dropped without a flush writes nothing');
      migrate(['session = orm.Session(bind=op.get_bind())', "for token in session.query(Token).filter(Token.expired.is_(True)).all():", '    session.delete(token)', 'session.commit()']);
      assert.strictEqual((await findings('AG401')).length, 1);
    });
    it('leaves rows inserted into a table the upgrade created alone, also through a reflected Table()', async () => {
      migrate([
        "op.create_table('plans', sa.Column('code', sa.String(length=20), nullable=False))",
        'meta = sa.MetaData()',
        "plans = sa.Table('plans', meta, autoload_with=op.get_bind())",
        "op.execute(plans.insert().values(code='free'))",
      ]);
      assert.deepStrictEqual(await findings('AG401'), []);
    });
    it('does not take a dictionary update or a set add for a data change', async () => {
      migrate(['mapping = {}', "mapping.update({'a': 1})", 'seen = set()', "seen.add('users')", "op.add_column('users', sa.Column('nickname', sa.String(), nullable=True))"], ["op.drop_column('users', 'nickname')"]);
      assert.deepStrictEqual(await findings('AG401'), []);
    });
  });

  describe('AG402 app-code-in-migration', () => {
    it('flags importing application models or settings, not alembic and sqlalchemy', async () => {
      project.write('app/core/__init__.py', '');
      project.write('app/core/config.py', 'settings = object()\n');
      migrate(['pass'], ['pass'], { extraImports: ['from app.models.base import Base', 'from app.core.config import settings', 'from sqlalchemy.dialects import postgresql'] });
      assert.strictEqual((await findings('AG402')).length, 2);
    });
    it('leaves an application handle used only for its column types alone', async () => {
      project.write('app/extensions.py', 'from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n');
      migrate(["users = sa.table('users', sa.column('id', db.Integer), sa.column('email', db.String))", "op.execute(users.update().values(email=''))"], ['pass'], { extraImports: ['from app.extensions import db'] });
      assert.deepStrictEqual(await findings('AG402'), []);
    });
    it("does not take a third-party import for the app's module of the same name inside the app's package", async () => {
      // The migrations live inside the application package (app/migrations), beside app/packaging/.
      project.write('alembic.ini', project.read('alembic.ini').replace('script_location = %(here)s/alembic', 'script_location = %(here)s/app/migrations'));
      project.write('app/migrations/env.py', project.read('alembic/env.py'));
      project.write('app/packaging/__init__.py', '');
      project.write('app/packaging/utils.py', 'def canonicalize_name(name):\n    return name\n');
      project.addMigration(
        { revision: '000000000001', downRevision: null, message: 'normalize names', upgrade: ["op.execute(sa.text('SELECT 1'))"], downgrade: ['pass  # nothing to undo'], extraImports: ['from packaging.utils import canonicalize_name', 'from app.packaging.utils import canonicalize_name as own'] },
        'app/migrations/versions',
      );
      const found = await findings('AG402');
      assert.deepStrictEqual(found.map((f) => f.message), ['the migration imports app.packaging.utils (utils.py), application code that will change after this migration is written']);
    });
    it('follows a type re-exported by the package to the types module that defines it', async () => {
      project.write('app/models/types.py', 'from sqlalchemy.ext.mutable import Mutable\nfrom sqlalchemy.types import TypeDecorator, Text\n\n\nclass MutableDict(Mutable, dict):\n    pass\n\n\nclass JSONText(TypeDecorator):\n    impl = Text\n');
      project.write('app/models/__init__.py', project.read('app/models/__init__.py') + 'from .types import MutableDict, JSONText  # noqa: F401\n');
      migrate(["op.add_column('users', sa.Column('prefs', JSONText(), nullable=True))"], ["op.drop_column('users', 'prefs')"], { extraImports: ['from app.models import JSONText'] });
      assert.deepStrictEqual(await findings('AG402'), []);
    });
    it("leaves the project's own type factory alone when it only gives a column its type", async () => {
      project.write('app/models/keys.py', 'import sqlalchemy as sa\n\n\ndef key_type(name):\n    return sa.Integer()\n');
      migrate(["op.create_table('alerts', sa.Column('id', key_type('Alert'), primary_key=True))"], ["op.drop_table('alerts')"], { extraImports: ['from app.models.keys import key_type'] });
      assert.deepStrictEqual(await findings('AG402'), []);
    });
    it('still flags the same factory once it is called for something else', async () => {
      project.write('app/models/keys.py', 'import sqlalchemy as sa\n\n\ndef key_type(name):\n    return sa.Integer()\n');
      migrate(["op.create_table('alerts', sa.Column('id', key_type('Alert'), primary_key=True))", "print(key_type('Query'))"], ["op.drop_table('alerts')"], { extraImports: ['from app.models.keys import key_type'] });
      assert.strictEqual((await findings('AG402')).length, 1);
    });
    it('leaves column types and migration helpers alone', async () => {
      project.write('app/db/__init__.py', '');
      project.write('app/db/types.py', 'import sqlalchemy as sa\n\n\nclass GUID(sa.types.TypeDecorator):\n    impl = sa.CHAR\n');
      project.write('app/db/columns.py', 'from sqlalchemy.types import TypeDecorator, Text\n\n\nclass JSONText(TypeDecorator):\n    impl = Text\n');
      project.write('app/db/schema.py', 'import sqlalchemy as sa\n\n\ndef Integer():\n    return sa.Integer()\n\n\ndef String(length=None):\n    return sa.String(length)\n');
      project.write('app/migrations/__init__.py', '');
      project.write('app/migrations/helpers.py', 'def drop_if_exists(table):\n    pass\n');
      migrate(["op.add_column('users', sa.Column('token', GUID(), nullable=True))", "op.add_column('users', sa.Column('prefs', JSONText(), nullable=True))"], ['pass'], {
        extraImports: ['from app.db.types import GUID', 'from app.db.columns import JSONText', 'from app.migrations import helpers', 'from app.db.schema import Integer, String'],
      });
      assert.deepStrictEqual(await findings('AG402'), []);
    });
  });

  describe('AG501 not-null-column-without-default', () => {
    const add = "op.add_column('users', sa.Column('credits', sa.Integer(), nullable=False))";
    it('adds a server_default that suits the type', async () => {
      const file = migrate([add], ["op.drop_column('users', 'credits')"]);
      await fixAndCheck('AG501', file, /^Add server_default='0'/);
      assert.match(project.read(file), /sa\.Column\('credits', sa\.Integer\(\), nullable=False, server_default='0'\)/);
    });
    it('or splits it into add nullable, backfill, set NOT NULL (seed 002)', async () => {
      const file = migrate([add], ["op.drop_column('users', 'credits')"]);
      await fixAndCheck('AG501', file, /backfill it, then set NOT NULL/);
      assert.match(project.read(file), /nullable=True\)\)\n    op\.execute\('UPDATE users SET credits = 0 WHERE credits IS NULL'\)\n    op\.alter_column\('users', 'credits', nullable=False\)/);
    });
    it('is quiet with a server_default, or on a table created in the same revision', async () => {
      migrate([
        "op.add_column('users', sa.Column('credits', sa.Integer(), nullable=False, server_default='0'))",
        "op.create_table('teams', sa.Column('id', sa.Integer(), nullable=False))",
        "op.add_column('teams', sa.Column('slug', sa.String(), nullable=False))",
      ]);
      assert.deepStrictEqual(await findings('AG501'), []);
    });
    it("names the project's database, and is quiet on MySQL, which fills existing rows with the type's implicit default", async () => {
      migrate(["with op.batch_alter_table('users') as batch_op:", "    batch_op.add_column(sa.Column('credits', sa.Integer(), nullable=False))"]);
      project.write('alembic.ini', project.read('alembic.ini').replace(/^sqlalchemy\.url = .*$/m, 'sqlalchemy.url = sqlite:///app.db'));
      assert.deepStrictEqual((await findings('AG501')).map((f) => f.message), ['"users.credits" is added NOT NULL without a server_default: SQLite rejects it as soon as "users" has rows']);
      project.write('alembic.ini', project.read('alembic.ini').replace(/^sqlalchemy\.url = .*$/m, 'sqlalchemy.url = mysql+pymysql://app@localhost/app'));
      assert.deepStrictEqual(await findings('AG501'), []);
    });
  });

  describe('AG502, AG503, AG504: locks and renames on existing tables', () => {
    it('flags SET NOT NULL, a type change and renames; not on a table created in the same revision', async () => {
      migrate([
        "op.alter_column('users', 'nickname', nullable=False)",
        "op.alter_column('users', 'email', type_=sa.String(length=64), existing_type=sa.String(length=255))",
        "op.alter_column('users', 'email', new_column_name='email_address')",
        "op.rename_table('users', 'accounts')",
        "op.create_table('teams', sa.Column('id', sa.Integer(), nullable=False), sa.Column('slug', sa.String()))",
        "op.alter_column('teams', 'slug', nullable=False, type_=sa.Text())",
      ]);
      assert.strictEqual((await findings('AG502')).length, 1);
      assert.strictEqual((await findings('AG503')).length, 1);
      assert.strictEqual((await findings('AG504')).length, 2);
    });
    it("AG502's lock advice is PostgreSQL's: none on a SQLite project, while a column added and made NOT NULL with no value is still an error", async () => {
      migrate([
        "with op.batch_alter_table('users') as batch_op:",
        "    batch_op.alter_column('nickname', existing_type=sa.VARCHAR(), nullable=False)",
        "op.add_column('users', sa.Column('plan', sa.String(), nullable=True))",
        "op.alter_column('users', 'plan', nullable=False)",
      ]);
      assert.strictEqual((await findings('AG502')).length, 2);
      project.write('alembic.ini', project.read('alembic.ini').replace(/^sqlalchemy\.url = .*$/m, 'sqlalchemy.url = sqlite:///app.db'));
      const onSqlite = await findings('AG502');
      assert.deepStrictEqual(onSqlite.map((f) => f.severity), ['error']);
      assert.match(onSqlite[0].message, /^"users\.plan" is added by this upgrade and made NOT NULL without a value/);
    });
  });

  describe('AG505 index-not-concurrent', () => {
    it('wraps the build in autocommit_block() with postgresql_concurrently=True', async () => {
      const file = migrate(["op.create_index('ix_users_email', 'users', ['email'])"], ["op.drop_index('ix_users_email', table_name='users')"]);
      await fixAndCheck('AG505', file, /^Build it concurrently/);
      assert.match(project.read(file), /    with op\.get_context\(\)\.autocommit_block\(\):\n        op\.create_index\('ix_users_email', 'users', \['email'\], postgresql_concurrently=True\)\n/);
    });
    it('is quiet for a new table and for SQLite projects', async () => {
      migrate(["op.create_table('teams', sa.Column('id', sa.Integer()))", "op.create_index('ix_teams_id', 'teams', ['id'])"]);
      assert.deepStrictEqual(await findings('AG505'), []);
      project.write('alembic.ini', project.read('alembic.ini').replace(/^sqlalchemy\.url = .*$/m, 'sqlalchemy.url = sqlite:///app.db'));
      project.write('alembic/versions/000000000003_x.py', project.read('alembic/versions/000000000002_change_users.py').replace(/000000000002/g, '000000000003').replace("down_revision: Union[str, None] = '000000000001'", "down_revision: Union[str, None] = '000000000002'").replace("op.create_table('teams', sa.Column('id', sa.Integer()))\n", ''));
      assert.deepStrictEqual(await findings('AG505'), []);
    });
  });

  describe('AG506 enum-value-in-transaction and AG507 enum-without-checkfirst', () => {
    it('wraps ALTER TYPE … ADD VALUE in autocommit_block()', async () => {
      const file = migrate(['op.execute("ALTER TYPE user_status ADD VALUE \'suspended\'")']);
      await fixAndCheck('AG506', file, /autocommit_block/);
    });
    it('is a warning when the new value is used before the transaction commits, information otherwise', async () => {
      migrate(['op.execute("ALTER TYPE user_status ADD VALUE \'suspended\'")', 'op.execute("ALTER TYPE user_role ADD VALUE \'auditor\'")', 'op.execute("UPDATE users SET status = \'suspended\' WHERE banned")']);
      assert.deepStrictEqual((await findings('AG506')).map((f) => `${f.range.start.line + 1} ${f.severity}`), ['22 warning', '23 info']);
    });
    it('is a warning when a later revision uses the value and one upgrade runs both in one transaction; not with transaction_per_migration, nothing in AUTOCOMMIT', async () => {
      migrate(['op.execute("ALTER TYPE user_status ADD VALUE \'suspended\'")']);
      project.addMigration({
        revision: '000000000003',
        downRevision: '000000000002',
        message: 'suspend banned users',
        upgrade: ['op.execute("UPDATE users SET status = \'suspended\' WHERE banned")'],
        downgrade: ['op.execute("UPDATE users SET status = \'active\' WHERE status = \'suspended\'")'],
      });
      const [finding] = await findings('AG506');
      assert.strictEqual(finding.severity, 'warning');
      assert.match(finding.message, /^'suspended' is used by revision 000000000003, which runs in the same transaction when one `alembic upgrade` applies both \(env\.py does not set transaction_per_migration=True\)/);
      const env = project.read('alembic/env.py');
      project.write('alembic/env.py', env.replace('connection=connection, target_metadata=target_metadata', 'connection=connection, target_metadata=target_metadata, transaction_per_migration=True'));
      assert.deepStrictEqual((await findings('AG506')).map((f) => f.severity), ['info']);
      project.write('alembic/env.py', env.replace('poolclass=pool.NullPool,', 'poolclass=pool.NullPool,\n        isolation_level="AUTOCOMMIT",'));
      assert.deepStrictEqual(await findings('AG506'), []);
    });
    it('knows an explicit COMMIT ends the transaction (the workaround that predates autocommit_block)', async () => {
      migrate(["op.execute('COMMIT')", 'op.execute("ALTER TYPE user_status ADD VALUE \'suspended\'")', 'op.execute("UPDATE users SET status = \'suspended\' WHERE banned")']);
      assert.deepStrictEqual(await findings('AG506'), []);
    });
    it('leaves enum creation alone in downgrade() and where checkfirst is written', async () => {
      migrate(["status = postgresql.ENUM('active', name='user_status')", 'status.create(op.get_bind(), checkfirst=False)'], ["status = postgresql.ENUM('active', name='user_status')", 'status.create(op.get_bind())'], {
        extraImports: ['from sqlalchemy.dialects import postgresql'],
      });
      assert.deepStrictEqual(await findings('AG507'), []);
    });
    it('adds checkfirst=True to enum creation', async () => {
      const file = migrate(["status = postgresql.ENUM('active', 'suspended', name='user_status')", 'status.create(op.get_bind())'], ['pass  # enum kept'], { extraImports: ['from sqlalchemy.dialects import postgresql'] });
      await fixAndCheck('AG507', file, /^Add checkfirst=True/);
      assert.match(project.read(file), /status\.create\(op\.get_bind\(\), checkfirst=True\)/);
    });
  });

  describe('AG508 fk-order', () => {
    it('reorders a child created before its parent', async () => {
      const file = migrate([
        "op.create_table('accounts', sa.Column('id', sa.Integer(), nullable=False), sa.Column('team_id', sa.Integer(), sa.ForeignKey('teams.id')))",
        "op.create_table('teams', sa.Column('id', sa.Integer(), nullable=False))",
      ]);
      await fixAndCheck('AG508', file, /^Create "teams" before "accounts"/);
      assert.ok(project.read(file).indexOf("create_table('teams'") < project.read(file).indexOf("create_table('accounts'"));
    });
    it('offers no reorder for two tables that reference each other, and says what works', async () => {
      migrate([
        "op.create_table('accounts', sa.Column('id', sa.Integer(), nullable=False), sa.Column('team_id', sa.Integer(), sa.ForeignKey('teams.id')))",
        "op.create_table('teams', sa.Column('id', sa.Integer(), nullable=False), sa.Column('owner_id', sa.Integer(), sa.ForeignKey('accounts.id')))",
      ]);
      const [finding] = await findings('AG508');
      assert.match(finding.message, /reference each other: .* create one of the two foreign keys after both tables, with op\.create_foreign_key$/);
      assert.deepStrictEqual(finding.fixes.filter((f) => !f.cursor), []);
    });
    it('flags a parent dropped before its child (as autogenerate writes it)', async () => {
      project.addMigration({
        revision: '000000000003',
        downRevision: '000000000001',
        message: 'create sessions',
        upgrade: ["op.create_table('sessions', sa.Column('id', sa.Integer()), sa.Column('user_id', sa.Integer()), sa.ForeignKeyConstraint(['user_id'], ['users.id']))"],
        downgrade: ["op.drop_table('sessions')"],
      });
      project.addMigration({ revision: '000000000004', downRevision: '000000000003', message: 'remove accounts', upgrade: ["op.drop_table('users')", "op.drop_table('sessions')"], downgrade: ['pass  # gone'] });
      assert.strictEqual((await findings('AG508')).length, 1);
    });
  });

  describe('AG509 table-already-exists', () => {
    it('flags creating a table an ancestor created, not after it was dropped', async () => {
      migrate([USERS]);
      assert.strictEqual((await findings('AG509')).length, 1);
      project.addMigration({ revision: '000000000003', downRevision: '000000000001', message: 'drop users', upgrade: ["op.drop_table('users')  # alembic-guard: ignore[AG101] test"], downgrade: [USERS] });
      project.addMigration({ revision: '000000000004', downRevision: '000000000003', message: 'recreate users', upgrade: [USERS], downgrade: ["op.drop_table('users')"] });
      assert.strictEqual((await findings('AG509')).length, 1, 'only the first one');
    });
  });
});
