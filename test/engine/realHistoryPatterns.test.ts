import * as assert from 'assert';
import { fastApiProject, FixtureProject } from '../support/fixtureProject';

/**
 * Patterns met in real projects' histories, where a careful reviewer sees no incident: each is
 * reproduced on a migration written the way those projects write theirs.
 */
describe('patterns of real histories', () => {
  let project: FixtureProject;
  beforeEach(() => {
    project = fastApiProject();
    project.addMigration({
      revision: '1a0000000001',
      downRevision: null,
      message: 'initial schema',
      upgrade: [
        "op.create_table('concurrency_limit', sa.Column('id', sa.Integer(), nullable=False), sa.Column('name', sa.String(), nullable=False), sa.Column('concurrency_limit', sa.Integer(), nullable=False), sa.PrimaryKeyConstraint('id'))",
        "op.create_table('concurrency_limit_v2', sa.Column('id', sa.Integer(), nullable=False), sa.Column('name', sa.String(), nullable=False), sa.Column('limit', sa.Integer(), nullable=False), sa.PrimaryKeyConstraint('id'))",
        "op.create_table('config', sa.Column('key', sa.String(length=255), nullable=False), sa.Column('value', sa.Text(), nullable=True), sa.PrimaryKeyConstraint('key'))",
        "op.create_table('registrations', sa.Column('id', sa.Integer(), nullable=False), sa.Column('user_id', sa.Integer(), nullable=True), sa.PrimaryKeyConstraint('id'))",
      ],
      downgrade: ["op.drop_table('registrations')", "op.drop_table('config')", "op.drop_table('concurrency_limit_v2')", "op.drop_table('concurrency_limit')"],
    });
  });
  afterEach(() => project.dispose());
  const codesIn = async (revision: string) => (await project.analyze()).filter((f) => f.file.includes(revision)).map((f) => f.code);

  it('rows copied into the new table before the old one is emptied and dropped are moved, not lost (SQL with bound parameters)', async () => {
    project.addMigration({
      revision: '1a0000000002',
      downRevision: '1a0000000001',
      message: 'migrate v1 concurrency limits to v2',
      upgrade: [
        'connection = op.get_bind()',
        'v1_limits = connection.execute(sa.text("SELECT * FROM concurrency_limit")).fetchall()',
        'for v1_limit in v1_limits:',
        '    connection.execute(',
        '        sa.text("INSERT INTO concurrency_limit_v2 (id, name, \\"limit\\") VALUES (:id, :name, :limit)"),',
        '        {"id": v1_limit.id, "name": f"tag:{v1_limit.name}", "limit": v1_limit.concurrency_limit},',
        '    )',
        'connection.execute(sa.text("DELETE FROM concurrency_limit"))',
        "op.drop_table('concurrency_limit')",
      ],
      downgrade: ['raise NotImplementedError("v1 limits live on as v2 limits")'],
    });
    const codes = await codesIn('1a0000000002');
    assert.ok(!codes.includes('AG106') && !codes.includes('AG101'), codes.join(','));
    assert.ok(codes.includes('AG401'), 'the copy itself is still a data migration');
  });

  it('a scratch table made and dropped by one SQL string is no drop and no schema change to undo', async () => {
    project.addMigration({
      revision: '1a0000000002',
      downRevision: '1a0000000001',
      message: 'update merged users in registrations',
      upgrade: [
        'op.execute("""',
        '    CREATE TEMPORARY TABLE merge_map AS SELECT 1 AS source_id, 2 AS target_id;',
        '    CREATE INDEX ix_merge_map_source_id ON merge_map (source_id);',
        '    UPDATE registrations r SET user_id = mm.target_id FROM merge_map mm WHERE mm.source_id = r.user_id;',
        '    DROP TABLE merge_map;',
        '""")',
      ],
      downgrade: ['pass'],
    });
    const codes = await codesIn('1a0000000002');
    assert.ok(!codes.includes('AG101') && !codes.includes('AG301'), codes.join(','));
  });

  it('a table moved aside to be rebuilt under its own name is no rename', async () => {
    project.addMigration({
      revision: '1a0000000002',
      downRevision: '1a0000000001',
      message: 'rebuild config with a surrogate key',
      upgrade: [
        "op.rename_table('config', 'config_old')",
        "op.create_table('config', sa.Column('id', sa.Integer(), nullable=False), sa.Column('key', sa.String(length=255), nullable=False), sa.Column('value', sa.Text(), nullable=True), sa.PrimaryKeyConstraint('id'))",
        'op.execute("INSERT INTO config (key, value) SELECT key, value FROM config_old")',
        "op.drop_table('config_old')",
      ],
      downgrade: ['raise NotImplementedError()'],
    });
    const codes = await codesIn('1a0000000002');
    assert.ok(!codes.includes('AG504') && !codes.includes('AG101'), codes.join(','));
  });

  it('names known only at run time are said as such, never as "undefined"', async () => {
    project.addMigration({
      revision: '1a0000000002',
      downRevision: '1a0000000001',
      message: 'rename tenant to project',
      upgrade: ['for table in ("registrations",):', "    op.alter_column(table, 'user_id', new_column_name='account_id')"],
      downgrade: ['for table in ("registrations",):', "    op.alter_column(table, 'account_id', new_column_name='user_id')"],
    });
    const messages = (await project.analyze()).filter((f) => f.file.includes('1a0000000002')).map((f) => f.message);
    assert.ok(messages.some((m) => m.startsWith('renaming "user_id" to "account_id"')), messages.join('\n'));
    assert.ok(!messages.some((m) => /undefined/.test(m)), messages.join('\n'));
  });

  it("a foreign key with use_alter that a later create_foreign_key adds is created; on SQLite it is inside CREATE TABLE", async () => {
    const fk = "sa.ForeignKeyConstraint(['state_id'], ['flow_run_state.id'], name='fk_flow_run__state_id__flow_run_state', use_alter=True)";
    project.addMigration({
      revision: '1a0000000002',
      downRevision: '1a0000000001',
      message: 'flow runs and their states',
      upgrade: [
        `op.create_table('flow_run', sa.Column('id', sa.Integer(), nullable=False), sa.Column('state_id', sa.Integer(), nullable=True), ${fk}, sa.PrimaryKeyConstraint('id'))`,
        "op.create_table('flow_run_state', sa.Column('id', sa.Integer(), nullable=False), sa.Column('flow_run_id', sa.Integer(), sa.ForeignKey('flow_run.id'), nullable=False), sa.PrimaryKeyConstraint('id'))",
        "op.create_foreign_key(constraint_name='fk_flow_run__state_id__flow_run_state', source_table='flow_run', referent_table='flow_run_state', local_cols=['state_id'], remote_cols=['id'], ondelete='SET NULL')",
      ],
      downgrade: ["op.drop_constraint('fk_flow_run__state_id__flow_run_state', 'flow_run', type_='foreignkey')", "op.drop_table('flow_run_state')", "op.drop_table('flow_run')"],
    });
    assert.ok(!(await codesIn('1a0000000002')).includes('AG513'));
    const file = project.path('alembic/versions/1a0000000002_flow_runs_and_their_states.py');
    project.write('alembic/versions/1a0000000002_flow_runs_and_their_states.py', project.read('alembic/versions/1a0000000002_flow_runs_and_their_states.py').replace(/\n    op\.create_foreign_key\([^\n]*\n/, '\n'));
    assert.ok((await codesIn('1a0000000002')).includes('AG513'), `without the later create_foreign_key (${file})`);
    project.write('alembic.ini', project.read('alembic.ini').replace(/^sqlalchemy\.url = .*$/m, 'sqlalchemy.url = sqlite:///app.db'));
    assert.ok(!(await codesIn('1a0000000002')).includes('AG513'), 'SQLite writes it inside CREATE TABLE');
  });

  it("rows written through the tables a project's runner passes in are the initial contents of a table the upgrade created", async () => {
    project.addMigration({
      revision: '1a0000000002',
      downRevision: '1a0000000001',
      message: 'add media types',
      upgrade: [],
      downgrade: [],
    });
    const file = 'alembic/versions/1a0000000002_add_media_types.py';
    project.write(
      file,
      project
        .read(file)
        .replace('def upgrade() -> None:\n    pass', "def upgrade(op, tables, tester) -> None:\n    op.create_table('mediatype', sa.Column('id', sa.Integer(), nullable=False), sa.Column('name', sa.String(length=255), nullable=False), sa.PrimaryKeyConstraint('id'))\n    op.bulk_insert(tables.mediatype, [{'name': 'text/plain'}, {'name': 'application/json'}])")
        .replace('def downgrade() -> None:\n    pass', "def downgrade(op, tables, tester) -> None:\n    op.drop_table('mediatype')"),
    );
    assert.deepStrictEqual(await codesIn('1a0000000002'), []);
  });

  it('an index built to speed up a backfill and dropped at the end of the same upgrade leaves nothing missing', async () => {
    project.addMigration({
      revision: '1a0000000002',
      downRevision: '1a0000000001',
      message: 'backfill registration owners',
      upgrade: [
        "op.create_index('ix_registrations_user_id_migration', 'registrations', ['user_id'])",
        'op.execute("UPDATE registrations SET user_id = 0 WHERE user_id IS NULL")',
        "op.drop_index('ix_registrations_user_id_migration', table_name='registrations')",
      ],
      downgrade: ['pass  # data only'],
    });
    assert.ok(!(await codesIn('1a0000000002')).includes('AG103'));
  });

  it('the file name says what a migration does when its template writes no docstring', async () => {
    const file = project.addMigration({ revision: '1a0000000002', downRevision: '1a0000000001', message: 'add maintenance state', upgrade: ["op.add_column('config', sa.Column('maintenance', sa.Boolean(), nullable=True))"], downgrade: ["op.drop_column('config', 'maintenance')"] });
    project.write(file, project.read(file).replace(/^"""[\s\S]*?"""\n/, ''));
    assert.ok(!(await codesIn('1a0000000002')).includes('AG606'));
    const bare = file.replace('add_maintenance_state', '');
    project.write(bare, project.read(file));
    project.remove(file);
    assert.ok((await codesIn('1a0000000002')).includes('AG606'), 'no docstring and no words in the file name');
  });

  it("names constraints as the project's MetaData naming convention does: a downgrade dropping ck_<table>_<name> undoes create_check_constraint(<name>)", async () => {
    project.write(
      'app/models/base.py',
      'from sqlalchemy import MetaData\nfrom sqlalchemy.orm import DeclarativeBase\n\n\nclass Base(DeclarativeBase):\n    metadata = MetaData(\n        naming_convention={\n            "ix": "ix_%(column_0_label)s",\n            "uq": "uq_%(table_name)s_%(column_0_name)s",\n            "ck": "ck_%(table_name)s_%(constraint_name)s",\n            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",\n            "pk": "pk_%(table_name)s",\n        }\n    )\n',
    );
    project.addMigration({
      revision: '1a0000000002',
      downRevision: '1a0000000001',
      message: 'limits are positive',
      upgrade: ["op.create_check_constraint('positive_limit', 'concurrency_limit_v2', 'limit > 0')", "op.create_unique_constraint(None, 'config', ['value'])"],
      downgrade: ["op.drop_constraint('uq_config_value', 'config', type_='unique')", "op.drop_constraint('ck_concurrency_limit_v2_positive_limit', 'concurrency_limit_v2')"],
    });
    assert.ok(!(await codesIn('1a0000000002')).includes('AG302'));
    // A full name written by hand goes through the convention again, in the create and in a drop of type "check" alike: they still meet.
    const file = 'alembic/versions/1a0000000002_limits_are_positive.py';
    project.write(
      file,
      project
        .read(file)
        .replace("op.create_check_constraint('positive_limit'", "op.create_check_constraint('ck_concurrency_limit_v2_positive_limit'")
        .replace("'concurrency_limit_v2')", "'concurrency_limit_v2', type_='check')"),
    );
    assert.ok(!(await codesIn('1a0000000002')).includes('AG302'));
    // A drop whose name is final (op.f) misses the doubled name the create got.
    project.write(file, project.read(file).replace("op.drop_constraint('ck_concurrency_limit_v2_positive_limit'", "op.drop_constraint(op.f('ck_concurrency_limit_v2_positive_limit')"));
    const missed = (await project.analyze()).filter((f) => f.file.includes('1a0000000002') && f.code === 'AG302');
    assert.deepStrictEqual(missed.map((f) => /"ck_concurrency_limit_v2_ck_concurrency_limit_v2_positive_limit"/.test(f.message)), [true]);
  });

  it('a foreign key created with source_schema lives on that schema\'s table, and goes with the column dropped there', async () => {
    project.addMigration({
      revision: '1a0000000002',
      downRevision: '1a0000000001',
      message: 'add category roles to acls',
      upgrade: [
        "op.create_table('roles', sa.Column('id', sa.Integer(), nullable=False), sa.PrimaryKeyConstraint('id'), schema='categories')",
        "op.create_table('principals', sa.Column('id', sa.Integer(), nullable=False), sa.PrimaryKeyConstraint('id'), schema='events')",
        "op.add_column('principals', sa.Column('role_id', sa.Integer(), nullable=True), schema='events')",
        "op.create_foreign_key(None, 'principals', 'roles', ['role_id'], ['id'], source_schema='events', referent_schema='categories')",
      ],
      downgrade: ["op.drop_column('principals', 'role_id', schema='events')", "op.drop_table('principals', schema='events')", "op.drop_table('roles', schema='categories')"],
    });
    assert.ok(!(await codesIn('1a0000000002')).includes('AG302'));
  });

  it('a revision that says it unlinks tables drops their foreign keys on purpose; an enum value PostgreSQL cannot remove leaves nothing to undo', async () => {
    project.addMigration({ revision: '1a0000000002', downRevision: '1a0000000001', message: 'link registrations to config', upgrade: ["op.create_foreign_key('fk_registrations_user_id_config', 'registrations', 'config', ['user_id'], ['key'])"], downgrade: ["op.drop_constraint('fk_registrations_user_id_config', 'registrations', type_='foreignkey')"] });
    project.addMigration({ revision: '1a0000000003', downRevision: '1a0000000002', message: 'unlink deprecated tables', upgrade: ["op.drop_constraint('fk_registrations_user_id_config', 'registrations', type_='foreignkey')"], downgrade: ["op.create_foreign_key('fk_registrations_user_id_config', 'registrations', 'config', ['user_id'], ['key'])"] });
    project.addMigration({ revision: '1a0000000004', downRevision: '1a0000000003', message: 'add cancelled state', upgrade: ['op.execute("ALTER TYPE state_type ADD VALUE IF NOT EXISTS \'CANCELLED\'")'], downgrade: ['pass'] });
    const found = (await project.analyze()).filter((f) => /1a000000000[34]/.test(f.file));
    assert.deepStrictEqual(found.filter((f) => f.code === 'AG103').map((f) => f.severity), ['info']);
    assert.deepStrictEqual(found.filter((f) => f.code === 'AG301'), []);
  });

  it('a migration importing the migration helpers package of its project (from app.db import migration) imports no application code', async () => {
    project.write('app/db/__init__.py', 'from app.models.base import Base  # noqa: F401\n');
    project.write('app/db/migration/__init__.py', 'MILESTONE = "2026.1"\n');
    project.addMigration({ revision: '1a0000000002', downRevision: '1a0000000001', message: 'add milestone note', upgrade: ["op.add_column('config', sa.Column('note', sa.Text(), nullable=True))"], downgrade: ["op.drop_column('config', 'note')"], extraImports: ['from app.db import migration'] });
    assert.ok(!(await codesIn('1a0000000002')).includes('AG402'));
  });

  it('reads SQL given its values with .params(), and a column added under a temporary name and renamed into place is no rename', async () => {
    project.addMigration({
      revision: '1a0000000002',
      downRevision: '1a0000000001',
      message: 'json config values',
      upgrade: [
        "op.add_column('config', sa.Column('json_value', sa.JSON(), nullable=True))",
        'conn = op.get_bind()',
        'conn.execute(sa.text("UPDATE config SET json_value = to_json(value) WHERE key = :key").params(key="theme"))',
        "op.drop_column('config', 'value')",
        "op.alter_column('config', 'json_value', new_column_name='value')",
      ],
      downgrade: ['raise NotImplementedError()'],
    });
    const found = (await project.analyze()).filter((f) => f.file.includes('1a0000000002'));
    assert.ok(found.some((f) => f.code === 'AG401' && /UPDATE config fills in json_value/.test(f.message)), found.map((f) => `${f.code} ${f.message}`).join('\n'));
    assert.ok(!found.some((f) => f.code === 'AG504'));
  });

  it('a column whose values an earlier revision copied (the backfill step of a move) is dropped without loss; one nobody copied is not', async () => {
    project.addMigration({
      revision: '1a0000000002',
      downRevision: '1a0000000001',
      message: 'add owner id to registrations',
      upgrade: ["op.add_column('registrations', sa.Column('owner_id', sa.Integer(), nullable=True))", 'op.execute("UPDATE registrations SET owner_id = user_id")'],
      downgrade: ["op.drop_column('registrations', 'owner_id')"],
    });
    project.addMigration({
      revision: '1a0000000003',
      downRevision: '1a0000000002',
      message: 'drop user id and config value',
      upgrade: ["op.drop_column('registrations', 'user_id')", "op.drop_column('config', 'value')"],
      downgrade: ["op.add_column('config', sa.Column('value', sa.Text(), nullable=True))", "op.add_column('registrations', sa.Column('user_id', sa.Integer(), nullable=True))"],
    });
    const drops = (await project.analyze()).filter((f) => f.file.includes('1a0000000003') && f.code === 'AG102').map((f) => f.message);
    assert.deepStrictEqual(drops, ['upgrade() drops column "config.value" and its values']);
  });

  it('a full-text vector column, and a foreign key column to a table the upgrade drops, hold nothing of their own to lose', async () => {
    project.addMigration({
      revision: '1a0000000002',
      downRevision: '1a0000000001',
      message: 'add rules',
      upgrade: [
        "op.create_table('duplication_rule', sa.Column('id', sa.Integer(), nullable=False), sa.Column('search_vector', postgresql.TSVECTOR(), nullable=True), sa.PrimaryKeyConstraint('id'))",
        "op.add_column('registrations', sa.Column('duplication_rule_id', sa.Integer(), sa.ForeignKey('duplication_rule.id'), nullable=True))",
      ],
      downgrade: ["op.drop_column('registrations', 'duplication_rule_id')", "op.drop_table('duplication_rule')"],
      extraImports: ['from sqlalchemy.dialects import postgresql'],
    });
    project.addMigration({
      revision: '1a0000000003',
      downRevision: '1a0000000002',
      message: 'remove duplication rules',
      upgrade: ["op.drop_column('duplication_rule', 'search_vector')", "op.drop_column('registrations', 'duplication_rule_id')", "op.drop_table('duplication_rule')"],
      downgrade: ['raise NotImplementedError()'],
    });
    const codes = await codesIn('1a0000000003');
    assert.deepStrictEqual(codes.filter((c) => c === 'AG102'), []);
    assert.ok(codes.includes('AG101'), 'the drop of the table itself is the finding');
  });

  it('a unique constraint widened with a scoping column in the same upgrade is a redesign; a plain index is replaced only by one it leads', async () => {
    project.addMigration({
      revision: '1a0000000002',
      downRevision: '1a0000000001',
      message: 'unique names and an index on owners',
      upgrade: ["op.create_unique_constraint('uq_config_value', 'config', ['value'])", "op.create_index('ix_registrations_user_id', 'registrations', ['user_id'])"],
      downgrade: ["op.drop_index('ix_registrations_user_id', table_name='registrations')", "op.drop_constraint('uq_config_value', 'config', type_='unique')"],
    });
    project.addMigration({
      revision: '1a0000000003',
      downRevision: '1a0000000002',
      message: 'scope values by key',
      upgrade: [
        "op.drop_constraint('uq_config_value', 'config', type_='unique')",
        "op.create_unique_constraint('uq_config_key_value', 'config', ['key', 'value'])",
        "op.drop_index('ix_registrations_user_id', table_name='registrations')",
        "op.create_index('ix_registrations_id_user_id', 'registrations', ['id', 'user_id'])",
      ],
      downgrade: [
        "op.drop_index('ix_registrations_id_user_id', table_name='registrations')",
        "op.create_index('ix_registrations_user_id', 'registrations', ['user_id'])",
        "op.drop_constraint('uq_config_key_value', 'config', type_='unique')",
        "op.create_unique_constraint('uq_config_value', 'config', ['value'])",
      ],
    });
    const dropped = (await project.analyze()).filter((f) => f.file.includes('1a0000000003') && f.code === 'AG103').map((f) => f.message);
    assert.deepStrictEqual(dropped, ['upgrade() drops index "ix_registrations_user_id" of "registrations" and nothing equivalent is left on the table']);
  });

  it('an index name over 63 characters is the one PostgreSQL keeps, cut: made in SQL and dropped by its full name, it is found', async () => {
    const long = 'ix_registrations__scheduler_user_id_auto_scheduled_next_scheduled_start_time';
    project.addMigration({ revision: '1a0000000002', downRevision: '1a0000000001', message: 'index for the scheduler', upgrade: [`op.execute("CREATE INDEX ${long} ON registrations (user_id, id)")`], downgrade: [`op.execute("DROP INDEX ${long}")`] });
    project.addMigration({
      revision: '1a0000000003',
      downRevision: '1a0000000002',
      message: 'replace scheduler index',
      upgrade: [`op.drop_index('${long}', table_name='registrations')`, "op.create_index('ix_registrations_user_id_id', 'registrations', ['user_id', 'id'])"],
      downgrade: ["op.drop_index('ix_registrations_user_id_id', table_name='registrations')", `op.create_index('${long}', 'registrations', ['user_id', 'id'])`],
    });
    const codes = await codesIn('1a0000000003');
    assert.ok(!codes.includes('AG302') && !codes.includes('AG304') && !codes.includes('AG103'), codes.join(','));
  });
});
