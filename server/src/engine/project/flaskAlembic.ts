import * as path from 'path';
import type { AlembicConfig } from './alembicIni';
import { ProjectFiles, walkFiles } from './projectFiles';

/** Files that declare a project's dependencies: a Flask-Alembic project names it there. */
export const DEPENDENCY_FILE = /^(pyproject\.toml|setup\.py|setup\.cfg|Pipfile|requirements.*\.(txt|in))$/;
const NAMES_FLASK_ALEMBIC = /flask[-_]alembic/i;
const IMPORTS_FLASK_ALEMBIC = /^\s*(from\s+flask_alembic\s+import|import\s+flask_alembic)\b/m;
/** `Flask(__name__)`: the application's root_path is this module's folder. */
const CREATES_APP = /\bFlask\(\s*(import_name\s*=\s*)?__name__\b/;
/** `"script_location": "db/migrations"` in the ALEMBIC settings (a dict literal in the app's config). */
const SCRIPT_LOCATION_SETTING = /["']script_location["']\s*:\s*([^,}\n]+)/;
const VERSION_LOCATIONS_SETTING = /["']version_locations["']\s*:\s*\[([^\]]*)\]/;

/**
 * Flask-Alembic keeps no alembic.ini and no env.py: the application's `ALEMBIC` setting holds
 * `script_location` (default `migrations`, relative to the application's root_path) and extra
 * `version_locations`, and the revision files sit in those folders themselves (no versions/).
 * A project is one whose dependencies name flask-alembic and whose code imports it; its
 * application is the module that calls `Flask(__name__)` in the same package.
 */
export function flaskAlembicConfigs(files: ProjectFiles, candidates: string[]): AlembicConfig[] {
  const configs: AlembicConfig[] = [];
  const dependencyDirs = new Set<string>();
  for (const file of candidates.filter((f) => DEPENDENCY_FILE.test(path.basename(f)))) {
    if (NAMES_FLASK_ALEMBIC.test(files.readText(file) ?? '')) dependencyDirs.add(path.dirname(file));
  }
  for (const projectDir of dependencyDirs) {
    // Only a project that depends on Flask-Alembic has its Python files read for it.
    const inProject = walkFiles(files, projectDir, (name) => name.endsWith('.py')).filter((f) => !isBelow(f, path.join(projectDir, 'tests')));
    const extension = inProject.find((f) => IMPORTS_FLASK_ALEMBIC.test(files.readText(f) ?? ''));
    if (!extension) continue;
    const packageDir = topPackage(files, path.dirname(extension));
    const candidates = inProject.filter((f) => isBelow(f, packageDir));
    const application = candidates.find((f) => CREATES_APP.test(files.readText(f) ?? '')) ?? extension;
    const rootPath = path.dirname(application);
    const settingsFile = candidates.find((f) => /\bALEMBIC\b/.test(files.readText(f) ?? '') && SCRIPT_LOCATION_SETTING.test(files.readText(f) ?? ''));
    const settings = settingsFile ? (files.readText(settingsFile) ?? '') : '';
    const problems: string[] = [];
    let scriptLocation = path.join(rootPath, 'migrations');
    const written = SCRIPT_LOCATION_SETTING.exec(settings)?.[1].trim();
    if (written !== undefined) {
      const literal = /^["']([^"']+)["']$/.exec(written)?.[1];
      if (literal) scriptLocation = path.resolve(rootPath, literal);
      else problems.push(`ALEMBIC["script_location"] is computed (${written}): read the default folder, ${path.relative(projectDir, scriptLocation)}`);
    }
    const extra = [...(VERSION_LOCATIONS_SETTING.exec(settings)?.[1] ?? '').matchAll(/["']([^"']+)["']/g)].map((m) => path.resolve(rootPath, m[1]));
    configs.push({
      configFile: settingsFile ?? application,
      scriptLocation,
      versionLocations: [scriptLocation, ...extra],
      prependSysPath: [path.dirname(packageDir)],
      runByApplication: true,
      problems,
    });
  }
  return configs;
}

/** The outermost package holding `dir` (the folder itself when it is no package). */
function topPackage(files: ProjectFiles, dir: string): string {
  let top = dir;
  for (let current = dir; files.isFile(path.join(current, '__init__.py')); current = path.dirname(current)) top = current;
  return top;
}

function isBelow(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}
