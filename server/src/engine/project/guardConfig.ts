import * as path from 'path';
import { parseToml, TomlError } from './toml';
import { isWithin } from './pathContainment';
import type { ProjectFiles } from './projectFiles';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type Dialect = 'postgresql' | 'mysql' | 'sqlite' | 'mssql' | 'oracle';
export const DIALECTS: readonly Dialect[] = ['postgresql', 'mysql', 'sqlite', 'mssql', 'oracle'];
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

/** `[tool.alembic-guard]` in pyproject.toml: the same file and meaning for CLI and editor. */
export interface GuardConfig {
  /** Codes or prefixes; undefined means every rule. */
  select: string[] | undefined;
  ignore: string[];
  severity: Record<string, Severity>;
  protectedTables: string[];
  presets: string[];
  exclude: string[];
  /** What to do about data changes in migrations (AG401): some teams forbid them, others teach the backfill pattern. */
  dataMigrations: 'forbid' | 'warn' | 'allow';
  /** The PostgreSQL major version the migrations run on; advice that depends on it says so. */
  postgresVersion: number | undefined;
  /**
   * How migrations reach the database: "online" while the application serves traffic (lock
   * advice matters), "offline" with it stopped (lock advice is information). Undefined: inferred
   * from the history.
   */
  deploy: 'online' | 'offline' | undefined;
  /** The database the migrations run on, when sqlalchemy.url does not say. */
  dialect: Dialect | undefined;
  /**
   * Revisions already applied in production (`alembic-guard baseline` writes them): they and their
   * ancestors are history, whose per-migration findings are not reported.
   */
  startAfter: string[];
  /** Where the config came from, for messages. */
  source: string | undefined;
  problems: ConfigProblem[];
}

export interface ConfigProblem {
  file: string;
  message: string;
  line?: number;
  column?: number;
}

export const DEFAULT_CONFIG: GuardConfig = {
  select: undefined,
  ignore: [],
  severity: {},
  protectedTables: [],
  presets: [],
  exclude: [],
  dataMigrations: 'warn',
  postgresVersion: undefined,
  deploy: undefined,
  dialect: undefined,
  startAfter: [],
  source: undefined,
  problems: [],
};

/** Tables that well-known tools create and own; autogenerate would drop them. */
export const PROTECTED_TABLE_PRESETS: Record<string, string[]> = {
  'better-auth': ['user', 'session', 'account', 'verification'],
  authjs: ['users', 'accounts', 'sessions', 'verification_token'],
  postgis: ['spatial_ref_sys'],
  celery: ['celery_taskmeta', 'celery_tasksetmeta'],
  apscheduler: ['apscheduler_jobs'],
  'django-celery-beat': ['django_celery_beat_periodictask', 'django_celery_beat_crontabschedule', 'django_celery_beat_intervalschedule'],
};

const KNOWN_KEYS = new Set(['select', 'ignore', 'severity', 'protected-tables', 'presets', 'exclude', 'data-migrations', 'postgres-version', 'deploy', 'dialect', 'start-after']);

/** Reads `[tool.alembic-guard]` from a pyproject.toml's text. */
export function readGuardConfig(file: string, text: string): GuardConfig {
  const problems: ConfigProblem[] = [];
  let document: Record<string, unknown>;
  try {
    document = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    const toml = error instanceof TomlError ? (error as InstanceType<typeof TomlError>) : undefined;
    const reason = toml ? toml.message.split('\n')[0] : String(error);
    problems.push({ file, message: `invalid TOML: ${reason}; using default settings`, line: toml?.line, column: toml?.column });
    return { ...DEFAULT_CONFIG, source: file, problems };
  }
  const section = (document.tool as Record<string, unknown> | undefined)?.['alembic-guard'];
  if (section === undefined) return { ...DEFAULT_CONFIG, problems };
  if (typeof section !== 'object' || section === null || Array.isArray(section)) {
    problems.push({ file, message: '[tool.alembic-guard] must be a table' });
    return { ...DEFAULT_CONFIG, source: file, problems };
  }
  const table = section as Record<string, unknown>;
  for (const key of Object.keys(table)) {
    if (!KNOWN_KEYS.has(key)) problems.push({ file, message: `unknown setting "${key}" in [tool.alembic-guard]` });
  }
  const strings = (key: string): string[] | undefined => {
    const value = table[key];
    if (value === undefined) return undefined;
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
    problems.push({ file, message: `"${key}" must be a list of strings` });
    return undefined;
  };
  const severity: Record<string, Severity> = {};
  const rawSeverity = table.severity;
  if (rawSeverity !== undefined) {
    if (typeof rawSeverity === 'object' && rawSeverity !== null && !Array.isArray(rawSeverity)) {
      for (const [code, level] of Object.entries(rawSeverity)) {
        if (typeof level === 'string' && (SEVERITIES as readonly string[]).includes(level)) severity[code.toUpperCase()] = level as Severity;
        else problems.push({ file, message: `severity of ${code} must be one of ${SEVERITIES.join(', ')}` });
      }
    } else {
      problems.push({ file, message: '"severity" must be a table such as { AG401 = "error" }' });
    }
  }
  const presets = strings('presets') ?? [];
  for (const preset of presets) {
    if (!(preset in PROTECTED_TABLE_PRESETS)) {
      problems.push({ file, message: `unknown preset "${preset}" (known: ${Object.keys(PROTECTED_TABLE_PRESETS).join(', ')})` });
    }
  }
  const policy = table['data-migrations'];
  if (policy !== undefined && policy !== 'forbid' && policy !== 'warn' && policy !== 'allow') {
    problems.push({ file, message: '"data-migrations" must be "forbid", "warn" or "allow"' });
  }
  const version = table['postgres-version'];
  const postgresVersion = typeof version === 'number' ? version : typeof version === 'string' && /^\d+/.test(version) ? parseInt(version, 10) : undefined;
  if (version !== undefined && postgresVersion === undefined) problems.push({ file, message: '"postgres-version" must be a major version such as 16' });
  const deploy = table.deploy;
  if (deploy !== undefined && deploy !== 'online' && deploy !== 'offline') problems.push({ file, message: '"deploy" must be "online" (migrations run while the application serves) or "offline"' });
  const rawStart = table['start-after'];
  const startAfter = typeof rawStart === 'string' ? [rawStart] : (strings('start-after') ?? []);
  const dialect = table.dialect;
  if (dialect !== undefined && !(DIALECTS as readonly unknown[]).includes(dialect)) problems.push({ file, message: `"dialect" must be one of ${DIALECTS.join(', ')}` });
  return {
    select: strings('select')?.map((c) => c.toUpperCase()),
    ignore: (strings('ignore') ?? []).map((c) => c.toUpperCase()),
    severity,
    protectedTables: strings('protected-tables') ?? [],
    presets,
    exclude: strings('exclude') ?? [],
    dataMigrations: policy === 'forbid' || policy === 'allow' ? policy : 'warn',
    postgresVersion,
    deploy: deploy === 'online' || deploy === 'offline' ? deploy : undefined,
    dialect: (DIALECTS as readonly unknown[]).includes(dialect) ? (dialect as Dialect) : undefined,
    startAfter,
    source: file,
    problems,
  };
}

/**
 * The nearest pyproject.toml with a [tool.alembic-guard] table, from `startDir` up to
 * `stopDir` (inclusive); a pyproject.toml without the table does not stop the search.
 */
export function findGuardConfig(files: ProjectFiles, startDir: string, stopDir: string): GuardConfig {
  let dir = path.resolve(startDir);
  const stop = path.resolve(stopDir);
  for (;;) {
    const candidate = path.join(dir, 'pyproject.toml');
    // Something named pyproject.toml that is not a file is worth saying, not skipping.
    if (files.isDirectory(candidate)) return { ...DEFAULT_CONFIG, problems: [{ file: candidate, message: 'is a directory, not a file: [tool.alembic-guard] cannot be read from it; using default settings' }] };
    const text = files.readText(candidate);
    if (text !== undefined) {
      const config = readGuardConfig(candidate, text);
      if (config.source) return config;
    }
    const parent = path.dirname(dir);
    if (dir === stop || parent === dir || !isWithin(parent, stop)) return DEFAULT_CONFIG;
    dir = parent;
  }
}

export function protectedTables(config: GuardConfig): Set<string> {
  const tables = new Set(config.protectedTables);
  for (const preset of config.presets) for (const table of PROTECTED_TABLE_PRESETS[preset] ?? []) tables.add(table);
  return tables;
}

/** A code is on when selected (or nothing is selected) and not ignored; prefixes count. */
export function isRuleEnabled(config: GuardConfig, code: string): boolean {
  const matches = (patterns: string[]) => patterns.some((p) => p === 'ALL' || code.startsWith(p));
  if (config.select && !matches(config.select)) return false;
  return !matches(config.ignore);
}
