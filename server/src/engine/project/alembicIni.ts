import * as fs from 'fs';
import * as path from 'path';
import type { Dialect } from './guardConfig';

/** What Alembic's own configuration says about where a migration environment lives. */
export interface AlembicConfig {
  /** The alembic.ini (or pyproject.toml with [tool.alembic]) that defines it. */
  configFile: string;
  /** The alembic.ini section (`alembic`, or the name `alembic -n NAME` selects). */
  section?: string;
  /**
   * The application runs Alembic with settings of its own (a `Config()` built in code,
   * Flask-Alembic): no alembic.ini, and env.py (if any) runs inside the application.
   */
  runByApplication?: boolean;
  /** The database this chain is for, when its folder says so (`versions/sqlite/`). */
  dialect?: Dialect;
  scriptLocation: string;
  versionLocations: string[];
  prependSysPath: string[];
  /** `sqlalchemy.url`, which tells the database (PostgreSQL-only rules stay quiet on others). */
  sqlalchemyUrl?: string;
  /** `file_template`, for the names of new revision files (Alembic's default when unset). */
  fileTemplate?: string;
  /** `recursive_version_locations = true`: Alembic also reads sub-folders of the version folders. */
  recursiveVersionLocations?: boolean;
  problems: string[];
}

/** Sections of alembic.ini that configure logging or hooks, never a migration environment. */
const NOT_ENVIRONMENTS = /^(DEFAULT|loggers|handlers|formatters|post_write_hooks|(logger|handler|formatter)_.*)$/;

/** Placeholders a deployment tool fills in (`${DIR}`, `{{ dir }}`, `@DIR@`): the file is a template. */
const TEMPLATE_PLACEHOLDER = /\$\{[^}]*\}|\{\{[^}]*\}\}|@\w+@/;

/**
 * Every migration environment an alembic.ini defines: `[alembic]`, and each other section with a
 * `script_location` that `alembic -n NAME` selects (several databases in one file). Values are read
 * the way configparser does: `[DEFAULT]` under every section, continuation lines, `#`/`;`
 * comments, and `%(name)s` interpolation from the section, `[DEFAULT]` and `here`. Environments
 * that share one script folder and its version folders are one.
 */
export function readAlembicIniEnvironments(configFile: string, text: string): AlembicConfig[] {
  const sections = iniSections(text);
  const defaults = sections.get('DEFAULT') ?? new Map<string, string>();
  const configs: AlembicConfig[] = [];
  const seen = new Set<string>();
  // `[alembic]` may hold only shared settings when named sections are the environments (`alembic -n core`).
  const named = [...sections].some(([name, own]) => name !== 'alembic' && !NOT_ENVIRONMENTS.test(name) && new Map([...defaults, ...own]).has('script_location'));
  for (const [name, own] of sections) {
    if (NOT_ENVIRONMENTS.test(name)) continue;
    const values = new Map([...defaults, ...own]);
    if (!values.has('script_location') && (name !== 'alembic' || named)) continue;
    const config = readEnvironment(configFile, values, name);
    const key = `${config.scriptLocation}\0${config.versionLocations.join('\0')}`;
    if (config.scriptLocation && seen.has(key)) continue;
    seen.add(key);
    configs.push(config);
  }
  return configs;
}

/** The `[alembic]` environment (or the one `section` names), as `alembic -n` would read it. */
export function readAlembicIni(configFile: string, text: string, section = 'alembic'): AlembicConfig | undefined {
  const sections = iniSections(text);
  const own = sections.get(section);
  if (!own) return undefined;
  return readEnvironment(configFile, new Map([...(sections.get('DEFAULT') ?? []), ...own]), section);
}

function readEnvironment(configFile: string, values: Map<string, string>, section: string): AlembicConfig {
  const here = path.dirname(configFile);
  const problems: string[] = [];
  const where = section === 'alembic' ? '' : ` of [${section}]`;
  const unresolved = new Set<string>();
  const interpolate = (value: string, depth = 0): string =>
    value.replace(/%\((\w+)\)s|%%/g, (whole, key: string | undefined) => {
      if (!key) return '%';
      if (key === 'here') return here;
      const found = values.get(key.toLowerCase());
      if (found === undefined || depth > 10) {
        unresolved.add(key);
        return whole;
      }
      return interpolate(found, depth + 1);
    });
  const empty = (problem: string): AlembicConfig => ({ configFile, section, scriptLocation: '', versionLocations: [], prependSysPath: [], problems: [problem] });
  const scriptRaw = values.get('script_location');
  if (!scriptRaw) return empty(`no script_location${where}`);
  const scriptValue = interpolate(scriptRaw.trim());
  // A value Alembic is given when it runs (`Config(config_args=...)`, a template filled at deploy): nothing on disk to read.
  if (unresolved.size || TEMPLATE_PLACEHOLDER.test(scriptValue)) {
    const named = unresolved.size ? `%(${[...unresolved][0]})s, which is set when Alembic runs` : 'a placeholder filled in at deployment';
    return empty(`script_location${where} (${scriptRaw.trim()}) uses ${named}: the folder it names cannot be known`);
  }
  const resolveDir = (value: string) => path.resolve(here, interpolate(value.trim()));
  const prependSysPath = splitPaths(values.get('prepend_sys_path'), values.get('path_separator') ?? 'os').map(resolveDir);
  const importRoots = [...prependSysPath, here, path.join(here, 'src')];
  const scriptLocation = resolveLocation(scriptValue, here, importRoots);
  const separator = values.get('version_path_separator') ?? values.get('path_separator');
  const versionValues = splitPaths(values.get('version_locations'), separator).map((v) => interpolate(v.trim()));
  if (unresolved.size || versionValues.some((v) => TEMPLATE_PLACEHOLDER.test(v))) {
    problems.push(`version_locations${where} uses values set when Alembic runs: only the script folder's versions/ is read`);
  }
  const versionLocations = versionValues.filter((v) => !/%\(\w+\)s/.test(v) && !TEMPLATE_PLACEHOLDER.test(v)).map((v) => resolveLocation(v, here, importRoots));
  return {
    configFile,
    section,
    scriptLocation,
    versionLocations: versionLocations.length ? versionLocations : [path.join(scriptLocation, 'versions')],
    prependSysPath,
    recursiveVersionLocations: values.get('recursive_version_locations')?.trim() === 'true',
    fileTemplate: values.get('file_template')?.trim().replace(/%%/g, '%'),
    sqlalchemyUrl: values.get('sqlalchemy.url')?.trim(),
    problems,
  };
}

/**
 * `package:folder` locations (and `package:a:b:folder`: every token after the package is a path
 * part, as Alembic joins them) name a folder inside an importable package, looked up where Python
 * would find it: prepend_sys_path, the project folder, a `src/` layout. Other values are paths.
 */
function resolveLocation(value: string, here: string, importRoots: string[]): string {
  // `pkg:a:b`, and `pkg:a/b` (a resource path inside the package); never a Windows drive (`C:\\…`).
  const packageForm = /^([A-Za-z_][\w.]*)((?::[^:\\]+)+)$/.exec(value);
  if (packageForm && !/^[A-Za-z]:[\\/]/.test(value) && !packageForm[2].startsWith(':/')) {
    const parts = [...packageForm[1].split('.'), ...packageForm[2].slice(1).split(/[:/]/)];
    // The package may be installed from a folder above alembic.ini (a `src/` layout, alembic.ini inside the package).
    const found = [...importRoots, ...ancestorRoots(here)].map((root) => path.resolve(root, ...parts)).find(isDirectory);
    return found ?? path.resolve(here, ...parts);
  }
  return path.resolve(here, value);
}

/** The folders above `dir`, each with its `src/`: where an installed package's source may sit. */
function ancestorRoots(dir: string): string[] {
  const roots: string[] = [];
  for (let current = path.dirname(dir), depth = 0; depth < 8 && path.dirname(current) !== current; current = path.dirname(current), depth++) {
    roots.push(current, path.join(current, 'src'));
  }
  return roots;
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** Alembic splits on the configured separator, or (legacy) on spaces and commas. */
function splitPaths(value: string | undefined, separator: string | undefined): string[] {
  if (!value) return [];
  const trimmed = value.trim();
  switch (separator) {
    case 'os':
      return trimmed.split(path.delimiter).filter(Boolean);
    case ':':
    case ';':
    case 'space':
    case 'newline':
      return trimmed.split(separator === 'space' ? / +/ : separator === 'newline' ? /\r?\n/ : separator).map((s) => s.trim()).filter(Boolean);
    default:
      return trimmed.split(/[,\s]+/).filter(Boolean);
  }
}

/** Every section's `key = value` pairs (keys lower-cased, as configparser does), in file order. */
function iniSections(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  let lastKey: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const section = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (section) {
      const name = section[1].trim();
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      lastKey = undefined;
      continue;
    }
    if (!current) continue;
    if (/^\s*[#;]/.test(line) || !line.trim()) {
      if (!line.trim()) lastKey = undefined;
      continue;
    }
    if (/^\s/.test(line) && lastKey) {
      current.set(lastKey, `${current.get(lastKey)}\n${line.trim()}`);
      continue;
    }
    const pair = /^\s*([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (pair) {
      lastKey = pair[1].toLowerCase();
      current.set(lastKey, pair[2]);
    }
  }
  return sections;
}
