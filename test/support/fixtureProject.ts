import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Finding, Fix } from '../../server/src/engine/analysis/finding';
import { GuardEngine } from '../../server/src/engine/engine';
import type { EngineOptions } from '../../server/src/engine/engine';
import { migrationFileName, migrationSource, MigrationSpec } from './migrationSource';
import { applyTextEdits } from '../../server/src/engine/text/textEdits';

export const FIXTURES = path.resolve(__dirname, '../../../test/fixtures');

/** A project in a temporary folder: written, analysed, fixed and thrown away by one test. */
export class FixtureProject {
  private constructor(readonly root: string) {}

  static fromFiles(files: Record<string, string>): FixtureProject {
    const project = new FixtureProject(fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-guard-')));
    for (const [name, text] of Object.entries(files)) project.write(name, text);
    return project;
  }

  /** A copy of a fixture under test/fixtures, so fixes can edit it. */
  static copyOf(name: string): FixtureProject {
    const project = new FixtureProject(fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-guard-')));
    fs.cpSync(path.join(FIXTURES, name), project.root, { recursive: true });
    return project;
  }

  path(relative: string): string {
    return path.join(this.root, relative);
  }

  remove(relative: string): void {
    fs.rmSync(this.path(relative));
  }

  write(relative: string, text: string): void {
    fs.mkdirSync(path.dirname(this.path(relative)), { recursive: true });
    fs.writeFileSync(this.path(relative), text);
  }

  read(relative: string): string {
    return fs.readFileSync(this.path(relative), 'utf8');
  }

  addMigration(spec: MigrationSpec, folder = 'alembic/versions'): string {
    const relative = `${folder}/${migrationFileName(spec)}`;
    this.write(relative, migrationSource(spec));
    return relative;
  }

  async analyze(options: EngineOptions = {}): Promise<Finding[]> {
    const engine = await GuardEngine.create(this.root, { mayRunGit: () => true, ...options });
    return [...engine.analyze().values()].flat();
  }

  /** Findings as `relative/path:line CODE` (1-based lines), sorted: easy to assert whole. */
  async summary(options: EngineOptions = {}): Promise<string[]> {
    return (await this.analyze(options)).map((f) => `${path.relative(this.root, f.file)}:${f.range.start.line + 1} ${f.code}`).sort();
  }

  /** Writes a fix's edits to disk, file by file. */
  apply(fix: Fix): void {
    for (const fileEdit of fix.edits) {
      const before = fileEdit.create ? '' : fs.readFileSync(fileEdit.file, 'utf8');
      if (fileEdit.create) assert.ok(!fs.existsSync(fileEdit.file), `${fileEdit.file} must not exist yet`);
      fs.writeFileSync(fileEdit.file, applyTextEdits(before, fileEdit.edits));
    }
  }

  /** Python's own parser must accept the file (a fix that breaks syntax is a bug). */
  assertValidPython(relative: string): void {
    execFileSync('python3', ['-c', 'import ast, sys; ast.parse(open(sys.argv[1], encoding="utf-8").read(), sys.argv[1])', this.path(relative)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  }

  dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * A FastAPI-style project as real ones are laid out: alembic.ini at the backend root,
 * alembic/env.py importing Base from app.models, models in app/models/.
 */
export function fastApiProject(options: { models?: Record<string, string>; modelsInit?: string; env?: string; pyproject?: string } = {}): FixtureProject {
  const sample = (relative: string) => fs.readFileSync(path.join(FIXTURES, 'sample-project', relative), 'utf8');
  const files: Record<string, string> = {
    'alembic.ini': sample('alembic.ini'),
    'alembic/env.py': options.env ?? sample('alembic/env.py'),
    'alembic/script.py.mako': sample('alembic/script.py.mako'),
    'app/__init__.py': '',
    'app/models/base.py': sample('app/models/base.py'),
    'app/models/__init__.py': options.modelsInit ?? 'from app.models.base import Base\n\n__all__ = ["Base"]\n',
  };
  if (options.pyproject) files['pyproject.toml'] = options.pyproject;
  for (const [name, text] of Object.entries(options.models ?? {})) files[`app/models/${name}`] = text;
  fs.mkdirSync(os.tmpdir(), { recursive: true });
  const project = FixtureProject.fromFiles(files);
  fs.mkdirSync(project.path('alembic/versions'), { recursive: true });
  return project;
}

/** A mapped class in SQLAlchemy 2.0 style. */
export function modelSource(className: string, table: string, extra = ''): string {
  return `from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class ${className}(Base):
    __tablename__ = "${table}"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
${extra}`;
}
