import * as fs from 'fs';
import * as path from 'path';

/**
 * The folder an Alembic project lives in, for a file given on its own (a CLI argument, an
 * editor buffer outside any workspace folder): the nearest folder above it with alembic.ini
 * or a pyproject.toml declaring [tool.alembic]; the file's own folder when there is none.
 */
export function projectRootOf(file: string): string {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'alembic.ini')) || declaresAlembic(path.join(dir, 'pyproject.toml'))) return dir;
    if (path.dirname(dir) === dir) return path.dirname(file);
  }
}

function declaresAlembic(pyproject: string): boolean {
  try {
    return fs.readFileSync(pyproject, 'utf8').includes('[tool.alembic]');
  } catch {
    return false;
  }
}
