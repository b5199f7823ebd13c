import * as path from 'path';
import { RevisionGraph } from '../graph/revisionGraph';
import { SchemaHistory } from '../schema/schemaHistory';
import type { NamingConvention } from '../schema/namingConvention';
import { MAX_FILE_CHARS, tooLargeMessage } from './fileSizeLimit';
import type { MigrationFile, OpCall } from '../migration/migrationFile';
import { createdName } from '../migration/objectNames';
import { upgradeTableEffects } from '../migration/tableEffects';
import type { AlembicConfig } from './alembicIni';
import type { EnvConfig } from './envConfig';
import { ConfigProblem, Dialect, GuardConfig, PROTECTED_TABLE_PRESETS, protectedTables } from './guardConfig';
import { followImports, isLoaded, LoadedModules } from './importGraph';
import { findModels, ModelDefinition } from './modelRegistry';
import { ModuleResolver } from './moduleResolver';
import { isWithin } from './pathContainment';
import { ProjectFiles, walkFiles } from './projectFiles';
import type { PythonModuleFacts } from './pythonModule';
import type { SyntaxCache } from './syntaxCache';

/** A table some migration of the chain creates, with the columns it is created with. */
export interface CreatedTable {
  table: string;
  columns: string[];
  /** Tables its foreign keys point at. */
  references: string[];
  file: string;
}

/** An index or constraint some migration creates. */
export interface CreatedObject {
  name: string;
  table: string | undefined;
  columns: string[] | undefined;
  /** The `op.create_*(...)` call that made it, when it stands on its own (not in a batch block). */
  createSource: string | undefined;
}

/** One Alembic migration environment: its config, env.py, versions and the models it sees. */
export interface AlembicProject {
  alembic: AlembicConfig;
  /** The folder Alembic is run from (the config file's folder). */
  root: string;
  guard: GuardConfig;
  envFile: string | undefined;
  env: EnvConfig | undefined;
  migrations: MigrationFile[];
  resolver: ModuleResolver;
  modules: Map<string, PythonModuleFacts>;
  models: ModelDefinition[];
  /** What runs with env.py; undefined when env.py imports nothing of the project (we cannot tell). */
  loaded: LoadedModules | undefined;
  /** Folders of the project packages env.py reaches: where unloaded models matter. */
  appPackages: string[];
  createdTables: Map<string, CreatedTable>;
  /** The same tables as `schema.name` (`.name` in the default schema): billing.invoices is not invoices. */
  createdQualifiedTables: Set<string>;
  /**
   * Some upgrade() runs `metadata.create_all(...)` (a baseline built from the models of its day):
   * the tables it created are unknown, so a table nobody else created may still be Alembic's.
   */
  createsTablesFromMetadata: boolean;
  /** Indexes and constraints migrations create, by name: their table and columns. */
  createdObjects: Map<string, CreatedObject>;
  graph: RevisionGraph;
  /** The database schema before and after each revision. */
  schema: SchemaHistory;
  /** Tables managed outside Alembic: configured, from presets, and excluded in env.py. */
  protectedTables: Set<string>;
  problems: string[];
  /** Files added since the ref `check --changed-since` names: revisions among them are one change, run together. */
  change?: Set<string>;
  /** The problems that concern a configuration file (alembic.ini, pyproject.toml), where the editor shows them. */
  configProblems: ConfigProblem[];
}


const TEST_FILE = /^(test_.*|.*_test|conftest)\.py$/;
const TEST_DIRECTORY = /^(tests?|testing)$/;

export function buildAlembicProject(
  alembic: AlembicConfig,
  guard: GuardConfig,
  files: ProjectFiles,
  cache: SyntaxCache,
  workspaceRoot: string,
): AlembicProject {
  const root = path.dirname(alembic.configFile);
  const problems = [...alembic.problems];
  const configProblems: ConfigProblem[] = alembic.problems.map((message) => ({ file: alembic.configFile, message }));
  const envCandidate = path.join(alembic.scriptLocation, 'env.py');
  const envText = alembic.scriptLocation ? files.readText(envCandidate) : undefined;
  // An application that runs Alembic itself (Flask-Alembic) may keep no env.py: its own code takes that place.
  if (alembic.scriptLocation && envText === undefined && !alembic.runByApplication) {
    problems.push(`${path.relative(workspaceRoot, alembic.configFile) || alembic.configFile}: script_location ${alembic.scriptLocation} has no env.py`);
    configProblems.push({ file: alembic.configFile, message: `script_location ${alembic.scriptLocation} has no env.py` });
  }
  const envFile = envText !== undefined ? envCandidate : undefined;
  const env = envFile && envText !== undefined ? cache.env(envFile, envText) : undefined;

  const migrations: MigrationFile[] = [];
  for (const location of alembic.versionLocations) {
    if (!files.isDirectory(location)) {
      problems.push(`version location ${location} does not exist`);
      configProblems.push({ file: alembic.configFile, message: `version location ${location} does not exist` });
      continue;
    }
    let nestedRead = 0;
    for (const file of versionFiles(files, location, true)) {
      const text = files.readText(file);
      if (text === undefined) continue;
      // Sub-folders (per release, expand/contract) are Alembic's with recursive_version_locations, or when env.py
      // sets the locations in code: their revision files are read either way, and a note says so.
      const nested = path.dirname(file) !== path.resolve(location);
      if (nested && !REVISION_LINE.test(text)) continue;
      if (nested && !alembic.recursiveVersionLocations) nestedRead++;
      if (text.length > MAX_FILE_CHARS) {
        problems.push(tooLargeMessage(file, text.length));
        continue;
      }
      migrations.push(cache.migration(file, text));
    }
    if (nestedRead) {
      problems.push(`${path.relative(workspaceRoot, location) || location}: ${nestedRead} revision file${nestedRead === 1 ? '' : 's'} in its sub-folders ${nestedRead === 1 ? 'is' : 'are'} read too; Alembic reads them only with recursive_version_locations = true or when env.py sets version_locations in code`);
    }
  }

  // A folder holding __init__.py is a package, imported through its parent, never a sys.path entry
  // of its own: taking it for one would read `import packaging.utils` as the app's packaging/utils.py.
  const guessed = [root, path.join(root, 'src'), path.dirname(alembic.scriptLocation)].filter((dir) => !files.isFile(path.join(dir, '__init__.py')));
  const roots = unique([...alembic.prependSysPath, ...guessed, workspaceRoot]);
  const resolver = new ModuleResolver(files, roots);
  const modules = new Map<string, PythonModuleFacts>();
  const factsOf = (file: string) => {
    let facts = modules.get(file);
    if (!facts) {
      const text = files.readText(file);
      if (text === undefined || text.length > MAX_FILE_CHARS) return undefined;
      facts = cache.module(file, text);
      modules.set(file, facts);
    }
    return facts;
  };
  const scriptDir = path.resolve(alembic.scriptLocation || root);
  // Flask-Migrate keeps alembic.ini inside migrations/: the application is beside that folder.
  for (const scanRoot of unique([...alembic.prependSysPath, root, path.dirname(scriptDir)])) {
    for (const file of walkApplicationFiles(files, scanRoot, scriptDir)) factsOf(file);
  }
  const loadedByEnv = envFile ? followImports(envFile, resolver, factsOf) : undefined;
  const reachesProject = loadedByEnv && [...loadedByEnv.files].some((f) => f !== envFile);
  // With no alembic.ini, the application runs Alembic from its own code (a `Config()` built in a
  // CLI command): env.py then runs inside the application, which has loaded whatever it imports.
  const runByApplication = alembic.runByApplication ?? !files.isFile(alembic.configFile);
  const loaded = reachesProject && !runByApplication ? loadedByEnv : undefined;
  const appPackages = loaded ? topLevelPackages(loaded, resolver, envFile!) : [];
  const models = findModels(modules);
  const graph = new RevisionGraph(migrations);
  for (const id of guard.startAfter) {
    if (!graph.get(id)) {
      const message = `start-after names ${id}, which is no revision of ${path.relative(workspaceRoot, alembic.configFile) || alembic.configFile}: every migration is reviewed`;
      problems.push(`${guard.source ?? 'pyproject.toml'}: ${message}`);
      if (guard.source) configProblems.push({ file: guard.source, message });
    }
  }
  const createsTablesFromMetadata = migrations.some((m) => m.metadataCreateAll.some((call) => call.phase === 'upgrade'));
  const protectedSet = protectedTables(guard);
  for (const table of env?.excludedTables ?? []) protectedSet.add(table);

  return {
    alembic,
    root,
    guard,
    envFile,
    env,
    migrations,
    resolver,
    modules,
    models,
    loaded,
    appPackages,
    createdTables: tablesCreatedByChain(migrations),
    createdQualifiedTables: qualifiedTablesCreatedByChain(migrations),
    createsTablesFromMetadata,
    createdObjects: objectsCreatedByChain(migrations),
    graph,
    schema: new SchemaHistory(graph, createsTablesFromMetadata, namingConventionOf(modules, loaded)),
    protectedTables: protectedSet,
    problems,
    configProblems,
  };
}

/**
 * The naming convention of the project's MetaData: the first one its application modules write
 * out, those env.py loads first (read once per file content, with the module's other facts).
 */
function namingConventionOf(modules: Map<string, PythonModuleFacts>, loaded: LoadedModules | undefined): NamingConvention | undefined {
  const candidates = [...modules].filter(([, facts]) => facts.namingConvention);
  const unloaded = (file: string) => Number(!!loaded && !isLoaded(loaded, file));
  candidates.sort(([a], [b]) => unloaded(a) - unloaded(b) || a.localeCompare(b));
  return candidates[0]?.[1].namingConvention;
}

function walkApplicationFiles(files: ProjectFiles, scanRoot: string, scriptDir: string): string[] {
  return walkFiles(files, scanRoot, (name) => name.endsWith('.py') && !TEST_FILE.test(name)).filter((file) => {
    const relative = path.relative(scanRoot, file);
    if (relative.split(path.sep).some((part) => TEST_DIRECTORY.test(part))) return false;
    const inScripts = path.relative(scriptDir, file);
    return inScripts.startsWith('..') || path.isAbsolute(inScripts);
  });
}

function topLevelPackages(loaded: LoadedModules, resolver: ModuleResolver, envFile: string): string[] {
  const packages = new Set<string>();
  for (const file of loaded.files) {
    if (file === envFile) continue;
    const name = resolver.nameOf(file);
    const top = name?.split('.')[0];
    const topFile = top ? resolver.fileOf(top) : undefined;
    if (topFile && path.basename(topFile) === '__init__.py') packages.add(path.dirname(topFile));
    else if (topFile) packages.add(topFile);
  }
  return [...packages];
}

function tablesCreatedByChain(migrations: MigrationFile[]): Map<string, CreatedTable> {
  const created = new Map<string, CreatedTable>();
  for (const migration of migrations) {
    for (const effect of upgradeTableEffects(migration)) {
      if (effect.kind === 'create') created.set(effect.table, { table: effect.table, columns: effect.columns, references: effect.references, file: migration.path });
      if (effect.kind === 'rename' && effect.newName) {
        created.set(effect.newName, { ...(created.get(effect.table ?? '') ?? { columns: [], references: [] }), table: effect.newName, file: migration.path });
      }
    }
  }
  return created;
}

/** `schema.name` of a table, with the default schema (unnamed, or `public`) as the empty one. */
export function qualifiedTableName(name: string, schema: string | undefined): string {
  const [ownSchema, own] = !schema && name.includes('.') ? name.split('.', 2) : [schema, name];
  return `${ownSchema === 'public' ? '' : (ownSchema ?? '')}.${own}`;
}

function qualifiedTablesCreatedByChain(migrations: MigrationFile[]): Set<string> {
  const created = new Set<string>();
  for (const migration of migrations) {
    for (const effect of upgradeTableEffects(migration)) {
      if (effect.kind === 'create') created.add(qualifiedTableName(effect.table, effect.schema));
      if (effect.kind === 'rename' && effect.newName) created.add(qualifiedTableName(effect.newName, undefined));
    }
  }
  return created;
}

const COLUMN_ARGUMENT: Record<string, string> = {
  create_index: 'columns',
  create_unique_constraint: 'columns',
  create_primary_key: 'columns',
  create_foreign_key: 'local_cols',
};

/** The columns an index or constraint creation names, when they are literal. */
export function createdColumns(op: OpCall): string[] | undefined {
  const value = op.arguments.get(COLUMN_ARGUMENT[op.name] ?? '')?.value;
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
}

function objectsCreatedByChain(migrations: MigrationFile[]): Map<string, CreatedObject> {
  const created = new Map<string, CreatedObject>();
  for (const migration of migrations) {
    for (const op of migration.ops) {
      if (op.phase !== 'upgrade' || !(op.name in COLUMN_ARGUMENT || op.name === 'create_check_constraint')) continue;
      const name = createdName(op);
      if (name) created.set(name, { name, table: op.table, columns: createdColumns(op), createSource: op.batched ? undefined : op.source });
    }
  }
  return created;
}

export function isModelLoaded(project: AlembicProject, model: ModelDefinition): boolean | undefined {
  if (!project.loaded) return undefined;
  return isLoaded(project.loaded, model.file);
}

/** Models env.py could load but does not: inside the project packages env.py reaches. */
export function unloadedModels(project: AlembicProject): ModelDefinition[] {
  if (!project.loaded) return [];
  return project.models.filter((model) => {
    if (isLoaded(project.loaded!, model.file)) return false;
    return project.appPackages.some((pkg) => isWithin(model.file, pkg));
  });
}

/**
 * A file's path as messages show it: relative to the project's base folder (the folder of
 * alembic.ini, or, when alembic.ini sits inside the script folder as with Flask-Migrate, the
 * folder that holds the script folder).
 */
export function displayPath(project: AlembicProject, file: string): string {
  const scriptDir = project.alembic.scriptLocation || project.root;
  const base = isWithin(project.alembic.configFile, scriptDir) ? path.dirname(scriptDir) : project.root;
  return path.relative(base, file).split(path.sep).join('/');
}

/**
 * The database the project's migrations run on: its version folder's name (`versions/sqlite/`), else
 * `dialect` in `[tool.alembic-guard]`, else the
 * one sqlalchemy.url names, else PostgreSQL when `postgres-version` is set; undefined when
 * nothing says (env.py often reads the URL from the environment).
 */
export function databaseOf(project: AlembicProject): Dialect | undefined {
  // A history kept in a folder named for its database (`versions/sqlite/`) is that database's, whatever else says.
  if (project.alembic.dialect) return project.alembic.dialect;
  if (project.guard.dialect) return project.guard.dialect;
  const url = project.alembic.sqlalchemyUrl ?? '';
  const named = /^(postgres|mysql|mariadb|sqlite|mssql|oracle)/i.exec(url)?.[1].toLowerCase();
  if (named) return named === 'postgres' ? 'postgresql' : named === 'mariadb' ? 'mysql' : (named as Dialect);
  return project.guard.postgresVersion !== undefined ? 'postgresql' : undefined;
}

/** Whether PostgreSQL's rules apply: the project says PostgreSQL, or says nothing (the common case). */
export function onPostgres(project: AlembicProject): boolean {
  const database = databaseOf(project);
  if (database) return database === 'postgresql';
  // CockroachDB speaks PostgreSQL's protocol, not its locking; a template URL (`driver://…`) says nothing.
  return !/^cockroachdb/i.test(project.alembic.sqlalchemyUrl ?? '');
}

/** Why a table is protected (for messages), or undefined when it is not. */
export function protectionOf(project: AlembicProject, table: string): string | undefined {
  if (project.guard.protectedTables.includes(table)) return 'listed in protected-tables';
  const preset = project.guard.presets.find((p) => PROTECTED_TABLE_PRESETS[p]?.includes(table));
  if (preset) return `owned by ${preset} (preset)`;
  // Hidden from autogenerate by env.py, but created by this chain's own migrations: Alembic's table after all.
  if (project.env?.excludedTables.has(table) && !project.createdTables.has(table)) return "excluded by env.py's filter";
  return undefined;
}

export function isHead(project: AlembicProject, migration: MigrationFile): boolean {
  const revision = project.graph.revisionOf(migration);
  return !!revision && revision.children.length === 0 && !project.graph.cyclic.has(revision.id);
}

/**
 * The migration files of a version folder in the order Alembic reads them: files sorted,
 * then (with recursive_version_locations) each sub-folder in sorted order, depth first.
 */
/** A file that assigns `revision` at module level: a revision file, not a helper beside them. */
const REVISION_LINE = /^revision\s*(:[^=\n]*)?=/m;

function versionFiles(files: ProjectFiles, dir: string, recursive: boolean): string[] {
  const entries = files.listDirectory(dir).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const own = entries.filter((e) => e.isFile() && e.name.endsWith('.py') && !e.name.startsWith('__init__') && !e.name.startsWith('.#')).map((e) => path.join(dir, e.name));
  if (!recursive) return own;
  const nested = entries.filter((e) => e.isDirectory() && e.name !== '__pycache__').flatMap((e) => versionFiles(files, path.join(dir, e.name), true));
  return [...own, ...nested];
}

function unique(items: string[]): string[] {
  return [...new Set(items.map((i) => path.resolve(i)))];
}
