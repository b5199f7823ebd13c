import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { GuardEngine } from '../engine/engine';
import { historicalMigrations } from '../engine/analysis/analyzer';
import { baselineEdits } from '../engine/fixes/baselineEdits';

/**
 * `alembic-guard baseline [REV]`: declares the current heads (or REV) and everything before them
 * history, by writing `start-after` into `[tool.alembic-guard]`. A team adopting the checker on
 * years of applied migrations starts from a clean report and is judged from here on.
 */
export async function baseline(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { path: { type: 'string', default: '.' } } });
  if (positionals.length > 1) {
    process.stderr.write('alembic-guard: baseline takes at most one revision\n');
    return 2;
  }
  const root = path.resolve(values.path!);
  const engine = await GuardEngine.create(root, { mayRunGit: () => false });
  engine.index.refresh();
  const projects = engine.index.projects;
  if (!projects.length) {
    process.stderr.write(`alembic-guard: no Alembic project below ${values.path}\n`);
    return 2;
  }
  for (const project of projects) {
    const unknown = positionals.filter((r) => !project.graph.get(r));
    // A revision named on the command line must be in the chain: with several projects, in one of them.
    if (unknown.length && (projects.length === 1 || !projects.some((p) => positionals.every((r) => p.graph.get(r))))) {
      process.stderr.write(`alembic-guard: ${unknown.join(', ')} is no revision of ${path.relative(process.cwd(), project.alembic.configFile) || project.alembic.configFile}\n`);
      return 2;
    }
  }
  for (const edit of baselineEdits(projects, (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined), positionals)) {
    const text = edit.edits[0].newText;
    fs.writeFileSync(edit.file, text);
    const setting = /^start-after = (.*)$/m.exec(text)?.[1] ?? '';
    process.stdout.write(`${path.relative(process.cwd(), edit.file) || edit.file}: start-after = ${setting}\n`);
  }
  // Say what the team just declared history, read back as the checker now sees it.
  engine.index.refresh();
  for (const project of engine.index.projects) {
    const history = historicalMigrations(project).size;
    process.stdout.write(`${history} of ${project.migrations.length} migrations of ${path.relative(process.cwd(), project.alembic.configFile) || project.alembic.configFile} are history: their own findings are no longer reported; the chain and the project are still checked\n`);
  }
  return 0;
}
