import * as path from 'path';
import type { AlembicConfig } from './alembicIni';
import type { Dialect } from './guardConfig';
import type { ProjectFiles } from './projectFiles';

const DIALECT_FOLDERS: Record<string, Dialect> = { postgresql: 'postgresql', postgres: 'postgresql', sqlite: 'sqlite', mysql: 'mysql', mariadb: 'mysql', mssql: 'mssql', oracle: 'oracle' };

/**
 * A version folder whose sub-folders are named after databases (`versions/postgresql/`,
 * `versions/sqlite/`) holds one history per database, and env.py picks the one it runs on by
 * setting `version_locations` in code: each is a chain of its own, judged by its database's
 * rules. Read as one, they would be two roots and two heads of a history that never exists.
 */
export function splitByDialectFolders(files: ProjectFiles, config: AlembicConfig): AlembicConfig[] {
  const perLocation = config.versionLocations.map((location) => {
    if (!files.isDirectory(location)) return undefined;
    const entries = files.listDirectory(location);
    if (entries.some((e) => e.isFile() && e.name.endsWith('.py') && !e.name.startsWith('__init__'))) return undefined;
    const folders = entries.filter((e) => e.isDirectory() && DIALECT_FOLDERS[e.name.toLowerCase()]).map((e) => e.name);
    return folders.length ? folders : undefined;
  });
  const names = [...new Set(perLocation.flatMap((folders) => folders ?? []))];
  if (!names.length) return [config];
  return names.map((name) => ({
    ...config,
    dialect: DIALECT_FOLDERS[name.toLowerCase()],
    versionLocations: config.versionLocations.map((location, i) => (perLocation[i]?.includes(name) ? path.join(location, name) : location)),
  }));
}
