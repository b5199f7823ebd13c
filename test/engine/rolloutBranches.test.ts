import * as assert from 'assert';
import type { Finding } from '../../server/src/engine/analysis/finding';
import { fastApiProject, FixtureProject } from '../support/fixtureProject';

/**
 * Projects that roll out in expand/contract steps (OpenStack style): the expand branch only adds,
 * the contract branch only removes, each labelled once at its first revision.
 */
describe('expand and contract branches', () => {
  let project: FixtureProject;
  beforeEach(() => {
    project = fastApiProject();
    project.write('app/db/__init__.py', '');
    project.write('app/db/migration.py', "EXPAND_BRANCH = 'expand'\nCONTRACT_BRANCH = 'contract'\n");
    project.addMigration({
      revision: 'liberty',
      downRevision: null,
      message: 'initial',
      upgrade: ["op.create_table('images', sa.Column('id', sa.String(length=36), nullable=False), sa.Column('is_public', sa.Boolean(), nullable=True), sa.PrimaryKeyConstraint('id'))"],
      downgrade: ["op.drop_table('images')"],
    });
    project.addMigration({
      revision: 'ocata_expand01',
      downRevision: 'liberty',
      message: 'add visibility',
      branchLabels: 'migration.EXPAND_BRANCH',
      extraImports: ['from app.db import migration'],
      upgrade: ["op.add_column('images', sa.Column('visibility', sa.String(length=16), nullable=True))"],
      downgrade: ["op.drop_column('images', 'visibility')"],
    });
    project.addMigration({
      revision: 'ocata_contract01',
      downRevision: 'liberty',
      message: 'drop is public',
      branchLabels: "('ocata01', migration.CONTRACT_BRANCH)",
      dependsOn: "'ocata_expand01'",
      extraImports: ['from app.db import migration'],
      upgrade: ["op.drop_column('images', 'is_public')"],
      downgrade: ["op.add_column('images', sa.Column('is_public', sa.Boolean(), nullable=True))"],
    });
  });
  afterEach(() => project.dispose());

  const findings = async (...codes: string[]): Promise<string[]> =>
    (await project.analyze()).filter((f: Finding) => codes.includes(f.code)).map((f) => `${f.file.split('/').pop()}:${f.range.start.line + 1} ${f.code} ${f.severity} ${f.message}`);

  it('takes a drop on the contract branch as what it is for: information, saying why', async () => {
    assert.deepStrictEqual(await findings('AG102', 'AG608'), [
      'ocata_contract01_drop_is_public.py:22 AG102 info upgrade() drops column "images.is_public" and its values (on the contract branch, where drops belong once no running release reads it)',
    ]);
  });

  it('flags a drop on the expand branch and an addition on the contract branch, down the whole branch', async () => {
    project.addMigration({
      revision: 'pike_expand01',
      downRevision: 'ocata_expand01',
      message: 'drop legacy flag',
      upgrade: ["op.alter_column('images', 'visibility', new_column_name='scope')", 'op.execute("ALTER TABLE images DROP COLUMN is_public")'],
      downgrade: ['pass  # the column is gone'],
    });
    project.addMigration({
      revision: 'pike_contract01',
      downRevision: 'ocata_contract01',
      message: 'add owner',
      dependsOn: "'pike_expand01'",
      upgrade: ["op.add_column('images', sa.Column('owner', sa.String(length=255), nullable=True))"],
      downgrade: ["op.drop_column('images', 'owner')"],
    });
    assert.deepStrictEqual(await findings('AG608'), [
      'pike_contract01_add_owner.py:22 AG608 warning adding "images.owner" on the contract branch, which may run long after the new release needs it: it belongs on the expand branch',
      'pike_expand01_drop_legacy_flag.py:22 AG608 warning renaming "images.visibility" on the expand branch, which runs while the previous release still serves: it belongs on the contract branch',
      'pike_expand01_drop_legacy_flag.py:23 AG608 warning dropping "images.is_public" on the expand branch, which runs while the previous release still serves: it belongs on the contract branch',
    ]);
  });

  it('reads the branch from expand/ and contract/ folders too, and not at all in a project without them', async () => {
    project.addMigration(
      { revision: 'newton_contract01', downRevision: 'ocata_contract01', message: 'add note', upgrade: ["op.add_column('images', sa.Column('note', sa.Text(), nullable=True))"], downgrade: ["op.drop_column('images', 'note')"] },
      'alembic/versions/newton/contract',
    );
    assert.deepStrictEqual((await findings('AG608')).map((f) => f.split(' ')[0]), ['newton_contract01_add_note.py:22']);
    const plain = fastApiProject();
    try {
      plain.addMigration({ revision: 'a1', downRevision: null, message: 'create', upgrade: ["op.create_table('t', sa.Column('id', sa.Integer(), nullable=False))"], downgrade: ["op.drop_table('t')"] });
      plain.addMigration({ revision: 'a2', downRevision: 'a1', message: 'drop', upgrade: ["op.drop_table('t')"], downgrade: ['pass  # gone'] });
      assert.deepStrictEqual((await plain.analyze()).filter((f) => f.code === 'AG608'), []);
    } finally {
      plain.dispose();
    }
  });

  it('takes heads labelled through constants as the separate branches they are: no multiple-heads error', async () => {
    project.write('alembic/versions/ocata_contract01_drop_is_public.py', project.read('alembic/versions/ocata_contract01_drop_is_public.py').replace("('ocata01', migration.CONTRACT_BRANCH)", '(migration.CONTRACT_BRANCH,)'));
    assert.deepStrictEqual(await findings('AG601'), []);
  });

  it("reads MySQL's DROP PRIMARY KEY as no column, and an index rebuilt on contract (dropped and built again) as no addition", async () => {
    project.addMigration({
      revision: 'pike_expand01',
      downRevision: 'ocata_expand01',
      message: 'widen primary key',
      upgrade: ['op.execute("ALTER TABLE images DROP PRIMARY KEY, ADD PRIMARY KEY(id, visibility)")'],
      downgrade: ['op.execute("ALTER TABLE images DROP PRIMARY KEY, ADD PRIMARY KEY(id)")'],
    });
    project.addMigration({
      revision: 'pike_contract01',
      downRevision: 'ocata_contract01',
      message: 'rename visibility index',
      upgrade: ["op.drop_index('ix_images_visibility', table_name='images')", "op.create_index('ix_images_scope', 'images', ['visibility'])"],
      downgrade: ["op.drop_index('ix_images_scope', table_name='images')", "op.create_index('ix_images_visibility', 'images', ['visibility'])"],
    });
    const found = await findings('AG102', 'AG608');
    assert.deepStrictEqual(found.filter((f) => /pike_/.test(f)), []);
  });

  it('takes an expand branch as migrating under live traffic (lock advice a warning there), and the contract branch as run once the old release is stopped', async () => {
    project.addMigration({
      revision: 'pike_expand01',
      downRevision: 'ocata_expand01',
      message: 'index visibility',
      upgrade: ["op.create_index('ix_images_visibility', 'images', ['visibility'])"],
      downgrade: ["op.drop_index('ix_images_visibility', table_name='images')"],
    });
    project.addMigration({
      revision: 'pike_contract01',
      downRevision: 'ocata_contract01',
      message: 'index id',
      upgrade: ["op.create_index('ix_images_id_visibility', 'images', ['id', 'visibility'])"],
      downgrade: ["op.drop_index('ix_images_id_visibility', table_name='images')"],
    });
    const found = await findings('AG505');
    assert.deepStrictEqual(found.map((f) => f.split(' ').slice(0, 3).join(' ')), ['pike_contract01_index_id.py:22 AG505 info', 'pike_expand01_index_visibility.py:22 AG505 warning']);
    assert.match(found[0], /on the contract branch, which runs once the previous release is stopped/);
  });
});
