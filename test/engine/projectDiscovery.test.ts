import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { GuardEngine } from '../../server/src/engine/engine';
import { FixtureProject } from '../support/fixtureProject';
import { runCli } from '../support/cliRunner';
import { migrationSource } from '../support/migrationSource';

/** The revision files on disk below `root` (what Alembic itself would load), by their `revision = ` line. */
function revisionFilesOnDisk(root: string): number {
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === 'node_modules' ? [] : walk(path.join(dir, e.name))) : [path.join(dir, e.name)]));
  return walk(root).filter((f) => f.endsWith('.py') && /^revision\s*(:[^=\n]*)?=/m.test(fs.readFileSync(f, 'utf8'))).length;
}

describe('project discovery', () => {
  let project: FixtureProject;
  afterEach(() => project.dispose());

  /** Every layout: `check` says it read exactly the revision files on disk, no fewer. */
  const assertChecksEveryRevision = () => {
    const { stdout } = runCli(['check', '--no-cache', project.root]);
    const onDisk = revisionFilesOnDisk(project.root);
    assert.ok(onDisk > 0);
    assert.match(stdout, new RegExp(`Checked ${onDisk} migrations? in \\d+ Alembic projects? in`), stdout);
  };

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
    assertChecksEveryRevision();
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
    assertChecksEveryRevision();
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
    assertChecksEveryRevision();
  });

  const createTable = (revision: string, down: string | null, table: string) =>
    migrationSource({ revision, downRevision: down, message: `create ${table}`, upgrade: [`op.create_table('${table}', sa.Column('id', sa.Integer()))`], downgrade: [`op.drop_table('${table}')`] });

  it('reads every environment of a multi-database alembic.ini, [DEFAULT] and interpolation included', async () => {
    project = FixtureProject.fromFiles({
      'alembic.ini': [
        '[DEFAULT]',
        'migrations_root = %(here)s/db',
        '',
        '[billing]',
        'script_location = %(migrations_root)s/billing',
        'sqlalchemy.url = postgresql://localhost/billing',
        '',
        '[audit]',
        'script_location = %(migrations_root)s/audit',
        'sqlalchemy.url = postgresql://localhost/audit',
        '',
        '[loggers]',
        'keys = root',
        '',
      ].join('\n'),
      'db/billing/env.py': '',
      'db/billing/versions/aaaa00000001_create_invoices.py': createTable('aaaa00000001', null, 'invoices'),
      'db/billing/versions/aaaa00000002_create_refunds.py': createTable('aaaa00000002', 'aaaa00000001', 'refunds'),
      'db/audit/env.py': '',
      'db/audit/versions/bbbb00000001_create_events.py': createTable('bbbb00000001', null, 'events'),
    });
    const engine = await GuardEngine.create(project.root);
    engine.analyze();
    assert.deepStrictEqual(engine.index.problems, []);
    assert.deepStrictEqual(
      engine.index.projects.map((p) => [p.alembic.section, p.graph.heads]),
      [['billing', ['aaaa00000002']], ['audit', ['bbbb00000001']]],
    );
    const { stdout } = runCli(['check', project.root]);
    assert.match(stdout, /Checked 3 migrations in 2 Alembic projects in/);
    assertChecksEveryRevision();
  });

  it('says which environment it cannot locate when script_location is given at run time, and still reads the folder env.py marks', async () => {
    project = FixtureProject.fromFiles({
      'alembic.ini': '[alembic]\nscript_location = %(migrations_dir)s\nsqlalchemy.url = postgresql://localhost/app\n',
      'app/migrations/env.py': '',
      'app/migrations/versions/cccc00000001_create_users.py': createTable('cccc00000001', null, 'users'),
    });
    const engine = await GuardEngine.create(project.root);
    engine.analyze();
    assert.match(engine.index.problems.join('\n'), /alembic\.ini: script_location \(%\(migrations_dir\)s\) uses %\(migrations_dir\)s, which is set when Alembic runs/);
    assert.ok(engine.index.configProblems.some((p) => p.file.endsWith('alembic.ini')), 'shown on alembic.ini in the Problems panel');
    assert.deepStrictEqual(engine.index.projects.map((p) => p.graph.heads), [['cccc00000001']]);
    assertChecksEveryRevision();
  });

  it('reads a template of alembic.ini that the deployment copies into place', async () => {
    project = FixtureProject.fromFiles({
      'alembic.ini.template': '[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = ${DATABASE_URL}\n',
      'migrations/env.py': '',
      'migrations/script.py.mako': '',
      'migrations/versions/dddd00000001_create_users.py': createTable('dddd00000001', null, 'users'),
      'migrations/versions/dddd00000002_create_teams.py': createTable('dddd00000002', 'dddd00000001', 'teams'),
    });
    const engine = await GuardEngine.create(project.root);
    engine.analyze();
    assert.deepStrictEqual(engine.index.problems, []);
    assert.deepStrictEqual(engine.index.projects.map((p) => [p.alembic.configFile.replace(project.root, ''), p.graph.heads]), [['/alembic.ini.template', ['dddd00000002']]]);
    assertChecksEveryRevision();
  });

  it('finds a Flask-Alembic application: no alembic.ini, no env.py, revisions in the folder its ALEMBIC setting names', async () => {
    const revision = (id: string, down: string | null, body: string) => `"""${id}

Revision ID: ${id}
Revises: ${down ?? ''}
Create Date: 2026-05-11 11:19:18.976754

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "${id}"
down_revision: str | Sequence[str] | None = ${down ? `"${down}"` : 'None'}
branch_labels: str | Sequence[str] | None = ${down ? 'None' : '("default",)'}
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    ${body}


def downgrade() -> None:
    pass
`;
    project = FixtureProject.fromFiles({
      'pyproject.toml': '[project]\nname = "todos"\ndependencies = ["flask", "flask-alembic>=3.1", "flask-sqlalchemy-lite"]\n',
      'src/todos/__init__.py': 'from flask import Flask\n\nfrom .extensions import alembic, db\n\n\ndef create_app():\n    app = Flask(__name__)\n    app.config.from_object("todos.config")\n    db.init_app(app)\n    alembic.init_app(app)\n    return app\n',
      'src/todos/extensions.py': 'from flask_alembic import Alembic\nfrom flask_sqlalchemy_lite import SQLAlchemy\n\nfrom .models import Model\n\ndb = SQLAlchemy()\nalembic = Alembic(metadatas=Model.metadata)\n',
      'src/todos/config.py': 'ALEMBIC = {\n    "script_location": "db/revisions",\n}\n',
      'src/todos/models.py': 'from sqlalchemy import orm\n\n\nclass Model(orm.DeclarativeBase):\n    pass\n',
      'src/todos/db/revisions/script.py.mako': '',
      'src/todos/db/revisions/1747000000_init.py': revision('1747000000', null, 'op.create_table("todo", sa.Column("id", sa.Integer(), nullable=False), sa.PrimaryKeyConstraint("id"))'),
      'src/todos/db/revisions/1747100000_drop_todo.py': revision('1747100000', '1747000000', 'op.drop_table("todo")'),
    });
    const engine = await GuardEngine.create(project.root);
    const findings = [...engine.analyze().values()].flat();
    assert.deepStrictEqual(engine.index.problems, []);
    assert.deepStrictEqual(engine.index.projects.map((p) => p.graph.heads), [['1747100000']]);
    assert.ok(findings.some((f) => f.code === 'AG101' && f.file.endsWith('1747100000_drop_todo.py')), 'the drop in upgrade() is reported');
    const { stdout } = runCli(['check', project.root]);
    assert.match(stdout, /Checked 2 migrations in 1 Alembic project in/);
    assertChecksEveryRevision();
  });

  it('reads one history per database when versions/ holds a folder for each (env.py picks one in code), judged by that database', async () => {
    const revision = (id: string, down: string | null, upgrade: string[]) => migrationSource({ revision: id, downRevision: down, message: `step ${id}`, upgrade, downgrade: ['pass'] });
    project = FixtureProject.fromFiles({
      'src/flows/server/database/alembic.ini': '[alembic]\nscript_location = flows:server:database:_migrations\nprepend_sys_path = .\n',
      'src/flows/__init__.py': '',
      'src/flows/server/__init__.py': '',
      'src/flows/server/database/__init__.py': '',
      'src/flows/server/database/_migrations/env.py': 'from alembic import context\n\ncontext.script.version_locations = [versions_dir_for(dialect)]\n',
      'src/flows/server/database/_migrations/versions/postgresql/2024_01_02_000000_aaaa00000001_initial.py': revision('aaaa00000001', null, ["op.create_table('runs', sa.Column('id', sa.Integer(), nullable=False))"]),
      'src/flows/server/database/_migrations/versions/postgresql/2024_02_02_000000_aaaa00000002_index.py': revision('aaaa00000002', 'aaaa00000001', ["op.create_index('ix_runs_id', 'runs', ['id'])"]),
      'src/flows/server/database/_migrations/versions/sqlite/2024_01_02_000000_bbbb00000001_initial.py': revision('bbbb00000001', null, ["op.create_table('runs', sa.Column('id', sa.Integer(), nullable=False))"]),
      'src/flows/server/database/_migrations/versions/sqlite/2024_02_02_000000_bbbb00000002_index.py': revision('bbbb00000002', 'bbbb00000001', ["op.create_index('ix_runs_id', 'runs', ['id'])"]),
    });
    const engine = await GuardEngine.create(project.root);
    const findings = [...engine.analyze().values()].flat();
    assert.deepStrictEqual(engine.index.problems, []);
    assert.deepStrictEqual(engine.index.projects.map((p) => [p.alembic.dialect, p.graph.heads]), [['postgresql', ['aaaa00000002']], ['sqlite', ['bbbb00000002']]]);
    // Two histories, not one with two heads; PostgreSQL's index advice only on the PostgreSQL one.
    assert.deepStrictEqual(findings.filter((f) => f.code === 'AG601'), []);
    assert.deepStrictEqual(findings.filter((f) => f.code === 'AG505').map((f) => f.file.includes('/postgresql/')), [true]);
    assertChecksEveryRevision();
  });

  it('reads environments named in sections when [alembic] holds only shared settings, with package resource paths', async () => {
    project = FixtureProject.fromFiles({
      'src/incidents/alembic.ini': '[alembic]\nfile_template = %%(year)d-%%(month).2d-%%(day).2d_%%(rev)s\n\n[core]\nscript_location = incidents:database/revisions/core\n\n[tenant]\nscript_location = incidents:database/revisions/tenant\n\n[loggers]\nkeys = root\n',
      'src/incidents/__init__.py': '',
      'src/incidents/database/__init__.py': '',
      'src/incidents/database/revisions/core/env.py': '',
      'src/incidents/database/revisions/core/versions/2024-01-02_aaaa00000001.py': createTable('aaaa00000001', null, 'organizations'),
      'src/incidents/database/revisions/tenant/env.py': '',
      'src/incidents/database/revisions/tenant/versions/2024-01-02_bbbb00000001.py': createTable('bbbb00000001', null, 'incidents'),
    });
    const engine = await GuardEngine.create(project.root);
    engine.analyze();
    assert.deepStrictEqual(engine.index.problems, []);
    assert.deepStrictEqual(engine.index.projects.map((p) => [p.alembic.section, p.graph.heads]), [['core', ['aaaa00000001']], ['tenant', ['bbbb00000001']]]);
    assertChecksEveryRevision();
  });
});
