import * as path from 'path';
import { parseToml } from './toml';
import { AlembicConfig, readAlembicIni } from './alembicIni';
import { AlembicProject, buildAlembicProject } from './alembicProject';
import { ConfigProblem, DEFAULT_CONFIG, findGuardConfig, GuardConfig, readGuardConfig } from './guardConfig';
import { ProjectFiles, walkFiles } from './projectFiles';
import type { SyntaxCache } from './syntaxCache';

export interface WorkspaceOptions {
  /** `--config FILE`: this pyproject.toml instead of the nearest one. */
  configFile?: string;
  /** Editor settings layered over the file's (VS Code `alembicGuard.*`). */
  overrides?: Partial<Pick<GuardConfig, 'select' | 'ignore' | 'severity' | 'protectedTables' | 'postgresVersion' | 'deploy' | 'dialect'>>;
}

/** Finds every Alembic environment below a folder and builds its project model. */
export class WorkspaceIndex {
  projects: AlembicProject[] = [];
  problems: string[] = [];
  /** Problems with alembic.ini or pyproject.toml, where they are: the editor shows them in the Problems panel. */
  configProblems: ConfigProblem[] = [];

  constructor(
    readonly root: string,
    readonly files: ProjectFiles,
    readonly cache: SyntaxCache,
    public options: WorkspaceOptions = {},
  ) {}

  /** (Re)builds every project; unchanged files come from the syntax cache. */
  refresh(): void {
    this.problems = [];
    this.configProblems = [];
    const configs = discoverAlembicConfigs(this.files, this.root);
    this.projects = configs.map((alembic) => {
      const guard = this.guardConfigFor(path.dirname(alembic.configFile));
      return buildAlembicProject(alembic, guard, this.files, this.cache, this.root);
    });
    const seen = new Set<string>();
    for (const problem of this.projects.flatMap((p) => [...p.configProblems, ...p.guard.problems])) {
      const key = `${problem.file}\0${problem.line}\0${problem.message}`;
      if (!seen.has(key)) this.configProblems.push(problem);
      seen.add(key);
    }
    for (const project of this.projects) {
      this.problems.push(...project.problems);
      for (const problem of project.guard.problems) {
        this.problems.push(`${problem.file}${problem.line ? `:${problem.line}:${problem.column ?? 1}` : ''}: ${problem.message}`);
      }
    }
  }

  /** The project a file belongs to: its migration, env.py, or one of its application modules. */
  projectOf(file: string): AlembicProject | undefined {
    const resolved = path.resolve(file);
    return (
      this.projects.find((p) => p.migrations.some((m) => m.path === resolved) || p.envFile === resolved) ??
      this.projects.find((p) => p.modules.has(resolved))
    );
  }

  private guardConfigFor(projectDir: string): GuardConfig {
    let config: GuardConfig;
    if (this.options.configFile) {
      const text = this.files.readText(this.options.configFile);
      config =
        text === undefined
          ? { ...DEFAULT_CONFIG, problems: [{ file: this.options.configFile, message: 'cannot read the configuration file' }] }
          : readGuardConfig(this.options.configFile, text);
    } else {
      config = findGuardConfig(this.files, projectDir, this.root);
    }
    const overrides = this.options.overrides ?? {};
    return {
      ...config,
      select: overrides.select?.length ? overrides.select.map((c) => c.toUpperCase()) : config.select,
      ignore: [...config.ignore, ...(overrides.ignore ?? []).map((c) => c.toUpperCase())],
      severity: { ...config.severity, ...(overrides.severity ?? {}) },
      protectedTables: [...config.protectedTables, ...(overrides.protectedTables ?? [])],
      // Set on this machine only when the user set them: otherwise the project's.
      postgresVersion: overrides.postgresVersion ?? config.postgresVersion,
      deploy: overrides.deploy ?? config.deploy,
      dialect: overrides.dialect ?? config.dialect,
    };
  }
}

/**
 * Every Alembic environment below `root`: alembic.ini files (Flask-Migrate's has no
 * script_location: its folder is the script folder), pyproject.toml with [tool.alembic],
 * and, failing both, a folder holding env.py beside versions/.
 */
export function discoverAlembicConfigs(files: ProjectFiles, root: string): AlembicConfig[] {
  const configs: AlembicConfig[] = [];
  const candidates = walkFiles(files, root, (name) => name === 'alembic.ini' || name === 'pyproject.toml' || name === 'env.py');
  const scriptLocations = new Set<string>();
  for (const file of candidates.filter((f) => path.basename(f) === 'alembic.ini')) {
    const text = files.readText(file);
    if (text === undefined) continue;
    let config = readAlembicIni(file, text);
    if (!config || !config.scriptLocation) {
      const dir = path.dirname(file);
      if (!files.isFile(path.join(dir, 'env.py'))) continue;
      config = { configFile: file, scriptLocation: dir, versionLocations: [path.join(dir, 'versions')], prependSysPath: [], problems: [] };
    }
    configs.push(config);
    scriptLocations.add(config.scriptLocation);
  }
  for (const file of candidates.filter((f) => path.basename(f) === 'pyproject.toml')) {
    const config = readPyprojectAlembic(file, files.readText(file));
    if (config && !scriptLocations.has(config.scriptLocation)) {
      configs.push(config);
      scriptLocations.add(config.scriptLocation);
    }
  }
  for (const env of candidates.filter((f) => path.basename(f) === 'env.py')) {
    const dir = path.dirname(env);
    if (scriptLocations.has(dir) || !files.isDirectory(path.join(dir, 'versions'))) continue;
    configs.push({ configFile: path.join(dir, 'alembic.ini'), scriptLocation: dir, versionLocations: [path.join(dir, 'versions')], prependSysPath: [], problems: [] });
    scriptLocations.add(dir);
  }
  return configs;
}

/** Alembic 1.16+ reads `[tool.alembic]` from pyproject.toml. */
function readPyprojectAlembic(file: string, text: string | undefined): AlembicConfig | undefined {
  if (text === undefined || !text.includes('[tool.alembic]')) return undefined;
  let section: Record<string, unknown> | undefined;
  try {
    section = ((parseToml(text) as Record<string, any>).tool ?? {}).alembic;
  } catch {
    return undefined;
  }
  if (!section || typeof section.script_location !== 'string') return undefined;
  const here = path.dirname(file);
  const resolve = (value: string) => path.resolve(here, value.replace(/%\(here\)s/g, here));
  const list = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
  const scriptLocation = resolve(section.script_location);
  const versionLocations = list(section.version_locations).map(resolve);
  return {
    configFile: file,
    scriptLocation,
    versionLocations: versionLocations.length ? versionLocations : [path.join(scriptLocation, 'versions')],
    prependSysPath: list(section.prepend_sys_path).map(resolve),
    problems: [],
  };
}
