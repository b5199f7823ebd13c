import * as path from 'path';
import { parseToml } from './toml';
import { AlembicConfig, readAlembicIniEnvironments } from './alembicIni';
import { splitByDialectFolders } from './dialectFolders';
import { DEPENDENCY_FILE, flaskAlembicConfigs } from './flaskAlembic';
import { AlembicProject, buildAlembicProject } from './alembicProject';
import { ConfigProblem, DEFAULT_CONFIG, findGuardConfig, GuardConfig, readGuardConfig } from './guardConfig';
import { ProjectFiles, walkFiles } from './projectFiles';
import type { SyntaxCache } from './syntaxCache';

export interface WorkspaceOptions {
  /** `--config FILE`: this pyproject.toml instead of the nearest one. */
  configFile?: string;
  /** Editor settings layered over the file's (VS Code `alembicGuard.*`). */
  /** Files added since `--changed-since REF`: the revisions among them are one change. */
  change?: Set<string>;
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
    const { configs, problems } = discoverAlembicConfigs(this.files, this.root);
    this.configProblems.push(...problems);
    this.problems.push(...problems.map((p) => `${path.relative(this.root, p.file) || p.file}: ${p.message}`));
    this.projects = configs.map((alembic) => {
      const guard = this.guardConfigFor(path.dirname(alembic.configFile));
      return { ...buildAlembicProject(alembic, guard, this.files, this.cache, this.root), change: this.options.change };
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

/** Copies of alembic.ini kept as a template or an example (filled in at deployment). */
const INI_TEMPLATE = /^alembic\.ini\.(template|tmpl|example|sample|dist|in|j2|jinja|jinja2|default)$/;

/**
 * Every Alembic environment below `root`: each environment of each alembic.ini (Flask-Migrate's
 * has no script_location: its folder is the script folder), pyproject.toml with [tool.alembic],
 * a template of alembic.ini where the real one is made at deployment, Flask-Alembic
 * applications, and, failing all, a folder holding env.py beside versions/. A configuration that
 * names no folder it can be read from is a problem, never a silent skip.
 */
export function discoverAlembicConfigs(files: ProjectFiles, root: string): { configs: AlembicConfig[]; problems: ConfigProblem[] } {
  const configs: AlembicConfig[] = [];
  const problems: ConfigProblem[] = [];
  const candidates = walkFiles(files, root, (name) => name === 'alembic.ini' || INI_TEMPLATE.test(name) || name === 'env.py' || DEPENDENCY_FILE.test(name));
  const scriptLocations = new Set<string>();
  const versionLocations = new Set<string>();
  const add = (config: AlembicConfig) => {
    configs.push(config);
    scriptLocations.add(config.scriptLocation);
    for (const location of config.versionLocations) versionLocations.add(path.resolve(location));
  };
  // The same revisions found a second way (an alembic.ini beside the Flask-Alembic settings that name its versions/) are one project.
  const known = (config: AlembicConfig) => scriptLocations.has(config.scriptLocation) || config.versionLocations.some((l) => versionLocations.has(path.resolve(l)));
  const iniFiles = candidates.filter((f) => path.basename(f) === 'alembic.ini');
  for (const file of iniFiles) {
    const text = files.readText(file);
    if (text === undefined) continue;
    const environments = readAlembicIniEnvironments(file, text);
    const usable = environments.filter((e) => e.scriptLocation);
    if (!usable.length && files.isFile(path.join(path.dirname(file), 'env.py'))) {
      const dir = path.dirname(file);
      add({ configFile: file, scriptLocation: dir, versionLocations: [path.join(dir, 'versions')], prependSysPath: [], problems: [] });
      continue;
    }
    for (const environment of environments) {
      if (environment.scriptLocation) add(environment);
      else problems.push(...environment.problems.map((message) => ({ file, message })));
    }
  }
  // A template stands for the alembic.ini a deployment writes beside it: read when that one is absent and it names a real folder.
  for (const file of candidates.filter((f) => INI_TEMPLATE.test(path.basename(f)))) {
    if (files.isFile(path.join(path.dirname(file), 'alembic.ini'))) continue;
    const text = files.readText(file);
    for (const environment of text === undefined ? [] : readAlembicIniEnvironments(file, text)) {
      if (environment.scriptLocation && !known(environment) && files.isFile(path.join(environment.scriptLocation, 'env.py'))) add(environment);
    }
  }
  for (const file of candidates.filter((f) => path.basename(f) === 'pyproject.toml')) {
    const config = readPyprojectAlembic(file, files.readText(file));
    if (config && !known(config)) add(config);
  }
  for (const config of flaskAlembicConfigs(files, candidates)) {
    if (!known(config)) add(config);
  }
  for (const env of candidates.filter((f) => path.basename(f) === 'env.py')) {
    const dir = path.dirname(env);
    if (scriptLocations.has(dir) || !files.isDirectory(path.join(dir, 'versions'))) continue;
    add({ configFile: path.join(dir, 'alembic.ini'), scriptLocation: dir, versionLocations: [path.join(dir, 'versions')], prependSysPath: [], problems: [], runByApplication: true });
  }
  return { configs: configs.flatMap((config) => splitByDialectFolders(files, config)), problems };
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
