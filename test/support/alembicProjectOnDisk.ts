import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { FixtureProject } from './fixtureProject';

/**
 * A project made by the real `alembic init`, with models in app/models (SQLAlchemy 1.4
 * declarative style, which Debian's SQLAlchemy runs) and env.py pointed at them.
 */
export function initAlembicProject(databaseUrl: string, models: Record<string, string>, modelsInit: string): FixtureProject {
  const project = FixtureProject.fromFiles({
    'app/__init__.py': '',
    'app/models/base.py': 'from sqlalchemy.orm import declarative_base\n\nBase = declarative_base()\n',
    'app/models/__init__.py': modelsInit,
    ...Object.fromEntries(Object.entries(models).map(([name, text]) => [`app/models/${name}`, text])),
  });
  alembic(project, 'init', 'alembic');
  const ini = project.read('alembic.ini');
  project.write('alembic.ini', ini.replace(/^sqlalchemy\.url = .*$/m, `sqlalchemy.url = ${databaseUrl}`));
  const env = project.read('alembic/env.py');
  if (!/^target_metadata = None$/m.test(env)) throw new Error('alembic init wrote an env.py without "target_metadata = None"');
  project.write('alembic/env.py', env.replace(/^target_metadata = None$/m, 'from app.models import Base\n\ntarget_metadata = Base.metadata'));
  return project;
}

/** Runs Debian's `alembic` in the project; throws with its output when it fails. */
export function alembic(project: FixtureProject, ...args: string[]): string {
  const result = spawnSync('alembic', args, { cwd: project.root, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  if (result.status !== 0) throw new Error(`alembic ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout + result.stderr;
}

/** `alembic revision --autogenerate`, returning the new file relative to the project. */
export function autogenerate(project: FixtureProject, message: string): string {
  const output = alembic(project, 'revision', '--autogenerate', '-m', message);
  const generated = /Generating (.+\.py)/.exec(output)?.[1];
  if (!generated || !fs.existsSync(generated)) throw new Error(`no migration generated:\n${output}`);
  return path.relative(project.root, generated);
}

/** The schema round trip the seeds ask for before every deploy. */
export function upgradeDowngradeUpgrade(project: FixtureProject): void {
  alembic(project, 'upgrade', 'head');
  alembic(project, 'downgrade', '-1');
  alembic(project, 'upgrade', 'head');
}
