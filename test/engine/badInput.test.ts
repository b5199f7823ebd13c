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
