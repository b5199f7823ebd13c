import * as assert from 'assert';
import { fastApiProject, FixtureProject } from '../support/fixtureProject';

/**
 * Real migrations move their work into helper functions of the module (`_migrate_data(conn)`,
 * `create_share_instances_table(connection)`) and call them from upgrade(): what the helpers do
 * is what the upgrade does, in the order it calls them.
 */
const WITH_HELPERS = `"""move availability zones to a table of their own

Revision ID: 7a1c00000002
Revises: 7a1c00000001
Create Date: 2026-03-04 09:12:45.123456

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '7a1c00000002'
down_revision = '7a1c00000001'
branch_labels = None
depends_on = None


def collect_zones(connection, services_table, zones_table):
    zones = []
    for service in connection.execute(services_table.select()):
        zones.append({'id': service.id, 'name': service.availability_zone})
    op.bulk_insert(zones_table, zones)


def purge_stale_services(connection):
    connection.execute(sa.text("DELETE FROM services WHERE deleted = true"))


def drop_old_column():
    with op.batch_alter_table('services') as batch_op:
        batch_op.drop_column('availability_zone')


def upgrade():
    connection = op.get_bind()
    availability_zones = op.create_table(
        'availability_zones',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    services = sa.table('services', sa.column('id', sa.Integer), sa.column('availability_zone', sa.String))
    collect_zones(connection, services, availability_zones)
    purge_stale_services(connection)
    drop_old_column()


def downgrade():
    op.add_column('services', sa.Column('availability_zone', sa.String(length=255), nullable=True))
    op.drop_table('availability_zones')
`;

describe('helper functions a migration calls', () => {
  let project: FixtureProject;
  beforeEach(() => {
    project = fastApiProject();
    project.addMigration({
      revision: '7a1c00000001',
      downRevision: null,
      message: 'create services',
      upgrade: ["op.create_table('services', sa.Column('id', sa.Integer(), nullable=False), sa.Column('deleted', sa.Boolean(), nullable=True), sa.Column('availability_zone', sa.String(length=255), nullable=True), sa.PrimaryKeyConstraint('id'))"],
      downgrade: ["op.drop_table('services')"],
    });
    project.write('alembic/versions/7a1c00000002_move_availability_zones.py', WITH_HELPERS);
  });
  afterEach(() => project.dispose());

  it("count as the upgrade that calls them: the helper's DELETE is reported as the upgrade's data change", async () => {
    const found = (await project.analyze()).filter((f) => f.file.endsWith('move_availability_zones.py'));
    assert.deepStrictEqual(
      found.filter((f) => f.code === 'AG401').map((f) => `${f.range.start.line + 1} ${f.message}`),
      ['26 upgrade() changes data: DELETE services'],
    );
  });

  it('bind their parameters to what the caller passed: rows written into a table the upgrade created are its contents, and values copied before a drop are kept', async () => {
    const found = (await project.analyze()).filter((f) => f.file.endsWith('move_availability_zones.py'));
    // Neither the bulk_insert into the new table nor the drop of a column whose values were copied first.
    assert.deepStrictEqual(found.filter((f) => f.code === 'AG401' && /bulk_insert/.test(f.message)), []);
    assert.deepStrictEqual(found.filter((f) => f.code === 'AG102'), []);
  });

  it('are judged by the schema too: the downgrade that undoes the helper leaves no difference', async () => {
    const found = (await project.analyze()).filter((f) => f.file.endsWith('move_availability_zones.py'));
    assert.deepStrictEqual(found.filter((f) => f.code === 'AG302'), []);
    project.write('alembic/versions/7a1c00000002_move_availability_zones.py', WITH_HELPERS.replace("    op.add_column('services', sa.Column('availability_zone', sa.String(length=255), nullable=True))\n", ''));
    const after = (await project.analyze()).filter((f) => f.file.endsWith('move_availability_zones.py') && f.code === 'AG302');
    assert.strictEqual(after.length, 1, 'the column the helper dropped is not re-added by downgrade()');
    assert.match(after[0].message, /availability_zone/);
  });
});

/**
 * Some projects run their migrations through a runner of their own that passes the operations
 * object in (`upgrade(operations)`), or import it under another name: the operations are the
 * same and so are the incidents.
 */
describe('the operations object under another name', () => {
  let project: FixtureProject;
  afterEach(() => project.dispose());

  const revisionFile = (revision: string, down: string | null, imports: string, body: string) => `"""step ${revision}

Revision ID: ${revision}
Revises: ${down ?? ''}
Create Date: 2026-03-04 09:12:45.123456

"""
import sqlalchemy as sa
${imports}

# revision identifiers, used by Alembic.
revision: str = '${revision}'
down_revision = ${down ? `'${down}'` : 'None'}
branch_labels = None
depends_on = None


${body}
`;

  it('reads a drop through a parameter the runner passes in, and through an import alias', async () => {
    project = fastApiProject();
    project.write(
      'alembic/versions/9b2e00000001_create_ledger.py',
      revisionFile('9b2e00000001', null, 'from alembic import op as alembic_op', "def upgrade() -> None:\n    alembic_op.create_table('ledger', sa.Column('id', sa.Integer(), primary_key=True))\n\n\ndef downgrade() -> None:\n    alembic_op.drop_table('ledger')"),
    );
    project.write(
      'alembic/versions/9b2e00000002_drop_ledger.py',
      revisionFile('9b2e00000002', '9b2e00000001', 'from alembic.operations import Operations', "def upgrade(operations: Operations) -> None:\n    operations.drop_table('ledger')\n\n\ndef downgrade(operations: Operations) -> None:\n    pass"),
    );
    const found = await project.analyze();
    assert.deepStrictEqual(
      found.filter((f) => f.file.endsWith('drop_ledger.py')).map((f) => `${f.code} ${f.range.start.line + 1}`).sort(),
      ['AG101 19', 'AG301 22'],
    );
    // The table the aliased create_table made is known: no "no migration created it".
    assert.deepStrictEqual(found.filter((f) => f.code === 'AG203'), []);
  });

  it("never takes the multi-database template's engine_name for it", async () => {
    project = fastApiProject();
    project.write(
      'alembic/versions/9b2e00000001_create_ledger.py',
      revisionFile('9b2e00000001', null, 'from alembic import op', "def upgrade(engine_name: str) -> None:\n    globals()[\"upgrade_%s\" % engine_name]()\n\n\ndef downgrade(engine_name: str) -> None:\n    globals()[\"downgrade_%s\" % engine_name]()\n\n\ndef upgrade_engine1() -> None:\n    op.create_table('ledger', sa.Column('id', sa.Integer(), primary_key=True))\n\n\ndef downgrade_engine1() -> None:\n    op.drop_table('ledger')"),
    );
    const found = await project.analyze();
    assert.deepStrictEqual(found.map((f) => f.code), []);
  });
});
