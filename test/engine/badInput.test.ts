import * as assert from 'assert';
import * as fs from 'fs';
import { fastApiProject, FixtureProject } from '../support/fixtureProject';
import { GuardEngine } from '../../server/src/engine/engine';

describe('bad input: clear messages, no crash, nothing lost', () => {
  let project: FixtureProject;
  afterEach(() => project.dispose());

  it('reports an alembic.ini whose script_location does not exist, and checks nothing there', async () => {
    project = FixtureProject.fromFiles({ 'alembic.ini': '[alembic]\nscript_location = %(here)s/migrations\n' });
    const engine = await GuardEngine.create(project.root);
    assert.strictEqual(engine.analyze().size, 0);
    assert.ok(engine.index.problems.some((p) => /script_location .*migrations has no env\.py/.test(p)), engine.index.problems.join('\n'));
    assert.ok(engine.index.problems.some((p) => /version location .*versions does not exist/.test(p)));
  });

  it('still checks the migrations when env.py is missing', async () => {
    project = fastApiProject();
    fs.rmSync(project.path('alembic/env.py'));
    project.addMigration({ revision: 'abc123abc123', downRevision: null, message: 'drop legacy', upgrade: ["op.drop_table('legacy_audit')"], downgrade: [] });
    assert.ok((await project.summary()).some((l) => l.endsWith('AG203')));
  });

  it('survives binary, empty, half-typed and non-UTF-8 migrations beside a real one', async () => {
    project = fastApiProject();
    project.addMigration({ revision: 'abc123abc123', downRevision: null, message: 'drop legacy', upgrade: ["op.drop_table('legacy_audit')"], downgrade: [] });
    fs.writeFileSync(project.path('alembic/versions/binary.py'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff]));
    fs.writeFileSync(project.path('alembic/versions/empty.py'), '');
    fs.writeFileSync(project.path('alembic/versions/latin1.py'), Buffer.from('"""r\u00e9sum\u00e9"""\nrevision = "lat1"\ndown_revision = None\ndef upgrade():\n    op.drop_table("caf\u00e9")\n', 'latin1'));
    project.write('alembic/versions/typing.py', 'revision = "half"\ndown_revision = "abc123abc123"\n\ndef upgrade() -> None:\n    op.drop_table(\'users\'\n    op.add_column(\n\ndef downgrade(:\n');
    const summary = await project.summary();
    assert.ok(summary.includes('alembic/versions/abc123abc123_drop_legacy.py:22 AG203'), summary.join('\n'));
    // Each file that cannot be read is reported at its line, never skipped in silence.
    assert.deepStrictEqual(
      summary.filter((l) => l.endsWith('AG001')),
      ['alembic/versions/binary.py:1 AG001', 'alembic/versions/latin1.py:1 AG001', 'alembic/versions/typing.py:5 AG001'],
    );
  });

  it('reports a syntax error at its line and keeps the migration in the chain: no phantom head, no unknown parent', async () => {
    project = fastApiProject();
    project.addMigration({ revision: 'aaaa00000001', downRevision: null, message: 'create users', upgrade: ["op.create_table('users', sa.Column('id', sa.Integer(), nullable=False))"], downgrade: ["op.drop_table('users')"] });
    const middle = project.addMigration({ revision: 'aaaa00000002', downRevision: 'aaaa00000001', message: 'add phone', upgrade: ["op.add_column('users', sa.Column('phone', sa.String(), nullable=True))"], downgrade: ["op.drop_column('users', 'phone')"] });
    project.addMigration({ revision: 'aaaa00000003', downRevision: 'aaaa00000002', message: 'add email', upgrade: ["op.add_column('users', sa.Column('email', sa.String(), nullable=True))"], downgrade: ["op.drop_column('users', 'email')"] });
    const clean = await project.summary();
    project.write(middle, project.read(middle).replace("sa.String(), nullable=True))\n", 'sa.String(), nullable=True)\n'));
    const broken = await project.summary();
    assert.deepStrictEqual(broken.filter((l) => !l.endsWith('AG001')), clean);
    assert.deepStrictEqual(broken.filter((l) => l.endsWith('AG001')), [`${middle}:22 AG001`]);
  });

  it('keeps the ranges of a half-typed file inside the document', async () => {
    project = fastApiProject();
    const text = 'revision = "half"\ndown_revision = None\n\ndef upgrade() -> None:\n    op.drop_table(\'orders\'\n';
    project.write('alembic/versions/half.py', text);
    const lines = text.split('\n');
    for (const finding of await project.analyze()) {
      assert.ok(finding.range.end.line < lines.length);
      assert.ok(finding.range.end.character <= lines[finding.range.end.line].length);
    }
  });
});
