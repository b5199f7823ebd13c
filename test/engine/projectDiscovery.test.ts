import * as assert from 'assert';
import { GuardEngine } from '../../server/src/engine/engine';
import { FixtureProject } from '../support/fixtureProject';
import { migrationSource } from '../support/migrationSource';

describe('project discovery', () => {
  let project: FixtureProject;
  afterEach(() => project.dispose());

  it('finds every alembic.ini of a monorepo and each chain of version_locations', async () => {
    const m = (revision: string, down: string | null, table: string) =>
      migrationSource({ revision, downRevision: down, message: `create ${table}`, upgrade: [`op.create_table('${table}', sa.Column('id', sa.Integer()))`], downgrade: [`op.drop_table('${table}')`] });
    project = FixtureProject.fromFiles({
      'services/billing/alembic.ini': '[alembic]\nscript_location = %(here)s/migrations\nversion_locations = %(here)s/migrations/versions %(here)s/plugins/versions\n',
      'services/billing/migrations/env.py': '',
      'services/billing/migrations/versions/aaaa00000001_create_invoices.py': m('aaaa00000001', null, 'invoices'),
      'services/billing/plugins/versions/bbbb00000001_create_credits.py': m('bbbb00000001', 'aaaa00000001', 'credits'),
      'services/auth/alembic.ini': '[alembic]\nscript_location = db:migrations\n',
      'services/auth/db/migrations/env.py': '',
      'services/auth/db/migrations/versions/cccc00000001_create_users.py': m('cccc00000001', null, 'users'),
      'node_modules/some-package/alembic.ini': '[alembic]\nscript_location = nowhere\n',
    });
    const engine = await GuardEngine.create(project.root);
    engine.analyze();
    const chains = engine.index.projects.map((p) => [p.alembic.configFile.replace(project.root, ''), [...p.graph.revisions.keys()].sort(), p.graph.heads]).sort();
    assert.deepStrictEqual(chains, [
      ['/services/auth/alembic.ini', ['cccc00000001'], ['cccc00000001']],
      ['/services/billing/alembic.ini', ['aaaa00000001', 'bbbb00000001'], ['bbbb00000001']],
    ]);
  });

  it('reads revisions kept in sub-folders of versions/, and says so', async () => {
    const m = (revision: string, down: string | null, upgrade: string) =>
      migrationSource({ revision, downRevision: down, message: `step ${revision}`, upgrade: [upgrade], downgrade: ['pass'] });
    project = FixtureProject.fromFiles({
      'alembic.ini': '[alembic]\nscript_location = %(here)s/alembic\n',
      'alembic/env.py': '',
      'alembic/versions/eeee00000001_step.py': m('eeee00000001', null, "op.create_table('audit', sa.Column('id', sa.Integer()))"),
      'alembic/versions/2025/eeee00000002_step.py': m('eeee00000002', 'eeee00000001', "op.drop_table('audit')"),
      'alembic/versions/2025/helpers.py': 'def backfill():\n    pass\n',
    });
    const engine = await GuardEngine.create(project.root);
    const findings = [...engine.analyze().values()].flat();
    assert.deepStrictEqual([...engine.index.projects[0].graph.revisions.keys()].sort(), ['eeee00000001', 'eeee00000002']);
    assert.ok(findings.some((f) => f.code === 'AG101' && f.file.endsWith('2025/eeee00000002_step.py')));
    assert.match(engine.index.problems.join('\n'), /1 revision file in its sub-folders is read too; Alembic reads them only with recursive_version_locations = true/);
  });

  it('resolves package resources with several parts, in a src/ layout', async () => {
    const m = (revision: string, down: string | null, table: string) =>
      migrationSource({ revision, downRevision: down, message: `create ${table}`, upgrade: [`op.create_table('${table}', sa.Column('id', sa.Integer()))`], downgrade: [`op.drop_table('${table}')`] });
    project = FixtureProject.fromFiles({
      'alembic.ini': '[alembic]\nscript_location = expenses.db:schema:_migrations\n',
      'src/expenses/__init__.py': '',
      'src/expenses/db/__init__.py': '',
      'src/expenses/db/schema/_migrations/env.py': '',
      'src/expenses/db/schema/_migrations/versions/dddd00000001_create_receipts.py': m('dddd00000001', null, 'receipts'),
      'src/expenses/db/schema/_migrations/versions/dddd00000002_create_notes.py': m('dddd00000002', 'dddd00000001', 'notes'),
    });
    const engine = await GuardEngine.create(project.root);
    engine.analyze();
    assert.deepStrictEqual(engine.index.problems, []);
    assert.deepStrictEqual([...engine.index.projects[0].graph.revisions.keys()].sort(), ['dddd00000001', 'dddd00000002']);
  });
});
