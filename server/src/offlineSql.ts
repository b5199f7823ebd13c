import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Revision } from './engine/graph/revisionGraph';
import type { AlembicProject } from './engine/project/alembicProject';

export interface OfflineSql {
  command: string;
  sql?: string;
  error?: string;
}

/**
 * The project's Python: the one the editor's Python extension selected, else a virtual
 * environment beside alembic.ini or above it, else python3 on PATH.
 */
export function projectPython(project: AlembicProject, selected?: string): string {
  if (selected && fs.existsSync(selected)) return selected;
  for (let dir = project.root; ; dir = path.dirname(dir)) {
    for (const venv of ['.venv', 'venv']) {
      const candidate = path.join(dir, venv, 'bin', 'python');
      if (fs.existsSync(candidate)) return candidate;
    }
    if (path.dirname(dir) === dir) return 'python3';
  }
}

/**
 * `alembic upgrade <parent>:<revision> --sql`: the SQL this revision would run, rendered
 * offline by the project's own Alembic. This runs env.py, the project's code: callers ask
 * only when the user asked (CLI) or the workspace is trusted (editor).
 */
export function offlineSql(project: AlembicProject, revision: Revision, python: string, timeoutMs = 20000): Promise<OfflineSql> {
  const range = revision.downRevisions.length ? `${revision.downRevisions[0]}:${revision.id}` : revision.id;
  const section = project.alembic.section && project.alembic.section !== 'alembic' ? ['-n', project.alembic.section] : [];
  const args = ['-m', 'alembic', '-c', project.alembic.configFile, ...section, 'upgrade', range, '--sql'];
  const command = `${python} ${args.join(' ')}`;
  if (project.alembic.runByApplication) {
    return Promise.resolve({ command, error: 'the application runs Alembic with settings of its own (no alembic.ini): render this SQL with its own command' });
  }
  return new Promise((resolve) => {
    execFile(python, args, { cwd: path.dirname(project.alembic.configFile), timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } }, (error, stdout, stderr) => {
      if (!error) return resolve({ command, sql: stdout });
      const reason = /No module named '?alembic/.test(stderr)
        ? `${python} has no Alembic installed`
        : (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? `${python} was not found`
          : error.killed
            ? `no answer within ${timeoutMs / 1000} s`
            : stderr.trim().split('\n').slice(-3).join('\n') || error.message;
      resolve({ command, error: reason });
    });
  });
}
