import * as fs from 'fs';
import * as path from 'path';

/** What Alembic's own configuration says about where a migration environment lives. */
export interface AlembicConfig {
  /** The alembic.ini (or pyproject.toml with [tool.alembic]) that defines it. */
  configFile: string;
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

/**
 * Reads an alembic.ini the way configparser does: sections, `key = value` or `key: value`,
 * continuation lines, `#`/`;` comments, and `%(here)s` interpolation.
 */
export function readAlembicIni(configFile: string, text: string, section = 'alembic'): AlembicConfig | undefined {
  const values = iniSection(text, section);
  if (!values) return undefined;
  const here = path.dirname(configFile);
  const interpolate = (value: string) =>
    value.replace(/%\((\w+)\)s/g, (whole, key: string) => (key === 'here' ? here : (values.get(key) ?? whole)));
  const resolveDir = (value: string) => path.resolve(here, interpolate(value.trim()));
  const problems: string[] = [];
  const scriptRaw = values.get('script_location');
  if (!scriptRaw) return { configFile, scriptLocation: '', versionLocations: [], prependSysPath: [], problems: ['no script_location'] };
  const prependSysPath = splitPaths(values.get('prepend_sys_path'), values.get('path_separator') ?? 'os').map(resolveDir);
  const importRoots = [...prependSysPath, here, path.join(here, 'src')];
  const scriptLocation = resolveLocation(interpolate(scriptRaw.trim()), here, importRoots);
  const separator = values.get('version_path_separator') ?? values.get('path_separator');
  const versionLocations = splitPaths(values.get('version_locations'), separator).map((v) => resolveLocation(interpolate(v.trim()), here, importRoots));
  return {
    configFile,
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
  const packageForm = /^([A-Za-z_][\w.]*)((?::[^:\\/]+)+)$/.exec(value);
  if (packageForm && !/^[A-Za-z]:[\\/]/.test(value)) {
    const parts = [...packageForm[1].split('.'), ...packageForm[2].slice(1).split(':')];
    const found = importRoots.map((root) => path.resolve(root, ...parts)).find(isDirectory);
    return found ?? path.resolve(here, ...parts);
  }
  return path.resolve(here, value);
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

function iniSection(text: string, wanted: string): Map<string, string> | undefined {
  let current: string | undefined;
  let lastKey: string | undefined;
  let found: Map<string, string> | undefined;
  for (const line of text.split(/\r?\n/)) {
    const section = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (section) {
      current = section[1].trim();
      lastKey = undefined;
      if (current === wanted) found ??= new Map();
      continue;
    }
    if (current !== wanted || !found) continue;
    if (/^\s*[#;]/.test(line) || !line.trim()) {
      if (!line.trim()) lastKey = undefined;
      continue;
    }
    if (/^\s/.test(line) && lastKey) {
      found.set(lastKey, `${found.get(lastKey)}\n${line.trim()}`);
      continue;
    }
    const pair = /^\s*([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (pair) {
      lastKey = pair[1].toLowerCase();
      found.set(lastKey, pair[2]);
    }
  }
  return found;
}
