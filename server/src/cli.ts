import * as path from 'path';
import { parseArgs } from 'util';
import { checkTargets } from './cli/checkTargets';
import { factsCache, userCacheFolder } from './factsCacheLocation';
import { formatJson } from './cli/formatJson';
import { filesChangedSince } from './cli/changedFiles';
import { offlineSql, projectPython } from './offlineSql';
import { formatGithub } from './cli/formatGithub';
import { formatSarif } from './cli/formatSarif';
import { baseline } from './cli/baseline';
import { applyFixes } from './cli/applyFixes';
import { formatStatistics, formatText } from './cli/formatText';
import type { Finding } from './engine/analysis/finding';
import { ruleMarkdown, ruleText } from './engine/docs/ruleDocs';
import { GuardEngine } from './engine/engine';
import { projectRootOf } from './engine/project/projectRoot';
import { isWithin } from './engine/project/pathContainment';
import { reviewMigration } from './engine/review/migrationReview';
import { reviewMarkdown } from './engine/review/reviewMarkdown';
import { RULES, ruleByCode } from './engine/rules/registry';
import { SourceText } from './engine/text/sourceText';

const USAGE = `Usage: alembic-guard <command> [options]

Commands:
  check [PATH...]      Check Alembic migrations, env.py and models (default: the current folder)
      --format FORMAT  text (default), json, sarif (code scanning) or github (workflow annotations)
      --config FILE    read [tool.alembic-guard] from this pyproject.toml
      --changed-since REF  only files added or changed since the git ref (e.g. origin/main);
                       the revisions added since it are judged as one change
      --exit-zero      exit 0 even when error findings remain
      --statistics     count the findings per rule
      --fix            apply the safe fixes (those that cannot lose data), then check again
      --unsafe-fixes   with --fix, apply every finding's first fix, not only the safe ones
      --no-cache       neither read nor write the cache of what was read from each file
                       (kept in ALEMBIC_GUARD_CACHE_DIR, else ~/.cache/alembic-guard)
  review FILE          The review of one migration (--format markdown|json; --sql adds
                       "alembic upgrade --sql" output, which runs the project's env.py)
  baseline [REV]       Declare the current heads (or REV) and their ancestors history: writes
                       start-after to [tool.alembic-guard]; their findings are no longer reported
      --path DIR       the project folder (default: the current folder)
  explain CODE         Print a rule's documentation (--format text|markdown)
  rules                List every rule (--format text|json)
  server --stdio       Run the language server over stdio (Neovim, Helix, Zed, …)

Exit status: 0 no error findings, 1 error findings remain, 2 usage error or unreadable path.`;

class UsageError extends Error {}

function version(): string {
  // Bundled, the CLI sits in dist/ beside the manifest's folder.
  for (const candidate of ['../package.json', '../../package.json', '../../../package.json']) {
    try {
      return require(path.join(__dirname, candidate)).version;
    } catch {
      // try the next layout
    }
  }
  return 'unknown';
}

/** What `check` looks for, named when it finds none. */
const LOOKED_FOR = 'looked for alembic.ini (script_location, every environment), a template of it (alembic.ini.template, .example), [tool.alembic] in pyproject.toml, a Flask-Alembic application, and env.py beside a versions/ folder';

async function check(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      config: { type: 'string' },
      'exit-zero': { type: 'boolean', default: false },
      'no-color': { type: 'boolean', default: false },
      'changed-since': { type: 'string' },
      'no-cache': { type: 'boolean', default: false },
      statistics: { type: 'boolean', default: false },
      fix: { type: 'boolean', default: false },
      'unsafe-fixes': { type: 'boolean', default: false },
    },
  });
  if (values['unsafe-fixes'] && !values.fix) throw new UsageError('--unsafe-fixes goes with --fix');
  const started = process.hrtime.bigint();
  if (!['text', 'json', 'sarif', 'github'].includes(values.format!)) throw new UsageError(`unknown --format "${values.format}" (text, json, sarif or github)`);
  let changed: Set<string> | undefined;
  let added: Set<string> | undefined;
  if (values['changed-since']) {
    try {
      ({ changed, added } = filesChangedSince(values['changed-since'], process.cwd()));
    } catch (error) {
      process.stderr.write(`alembic-guard: --changed-since ${values['changed-since']}: ${String((error as { stderr?: string }).stderr ?? error).trim()}\n`);
      return 2;
    }
  }
  const { targets, missing } = checkTargets(positionals.length ? positionals : ['.']);
  if (missing.length) {
    for (const m of missing) process.stderr.write(`alembic-guard: cannot read ${m}: no such file or directory\n`);
    return 2;
  }
  if (values.config) {
    try {
      require('fs').accessSync(values.config);
    } catch {
      process.stderr.write(`alembic-guard: cannot read config file ${values.config}\n`);
      return 2;
    }
  }
  const findings: Finding[] = [];
  const read = { migrations: 0, projects: 0 };
  for (const target of targets) {
    const facts = values['no-cache'] ? undefined : factsCache(target.root, userCacheFolder());
    const engine = await GuardEngine.create(target.root, { configFile: values.config, facts, cacheDisk: true, mayRunGit: () => true, change: added }, (message) => process.stderr.write(`alembic-guard: internal error: ${message}\n`));
    const inScope = (file: string) => (!target.files || target.files.has(file)) && (!changed || changed.has(file));
    let results;
    if (values.fix) {
      const fixed = applyFixes(engine, values['unsafe-fixes']!, inScope);
      results = fixed.findings;
      // What changed goes to stderr for machine formats, so their output stays parseable.
      const out = values.format === 'text' ? process.stdout : process.stderr;
      for (const fix of fixed.applied) out.write(`Fixed ${path.relative(process.cwd(), fix.file)}:${fix.line} ${fix.code}: ${fix.title}\n`);
      if (fixed.applied.length) out.write(`Applied ${fixed.applied.length} fix${fixed.applied.length === 1 ? '' : 'es'}; checking again.\n\n`);
    } else {
      results = engine.analyze();
    }
    const unsaved = engine.saveFacts();
    if (unsaved) process.stderr.write(`warning: ${unsaved}\n`);
    for (const problem of engine.index.problems) process.stderr.write(`warning: ${problem}\n`);
    read.projects += engine.index.projects.length;
    for (const project of engine.index.projects) read.migrations += target.files ? project.migrations.filter((m) => target.files!.has(m.path)).length : project.migrations.length;
    if (!engine.index.projects.length) process.stderr.write(`warning: no Alembic project found under ${target.root}: ${LOOKED_FOR}\n`);
    for (const [file, fileFindings] of results) {
      if (inScope(file)) findings.push(...fileFindings);
    }
  }
  if (!read.projects) {
    process.stderr.write(`alembic-guard: nothing to check: no Alembic project below ${positionals.length ? positionals.join(', ') : '.'} (${LOOKED_FOR})\n`);
    return 2;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  const color = !values['no-color'] && !!process.stdout.isTTY && !process.env.NO_COLOR;
  const output =
    values.format === 'json'
      ? formatJson(findings)
      : values.format === 'sarif'
        ? formatSarif(findings, process.cwd(), version())
        : values.format === 'github'
          ? formatGithub(findings, process.cwd())
          : formatText(findings, process.cwd(), color, { ...read, seconds });
  if (output) process.stdout.write(output + '\n');
  // Counted per rule, as ruff prints them: where the volume is. On stderr for machine formats, so their output stays parseable.
  if (values.statistics) (values.format === 'text' ? process.stdout : process.stderr).write(formatStatistics(findings) + '\n');
  if (values['exit-zero']) return 0;
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

async function review(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string', default: 'markdown' }, sql: { type: 'boolean', default: false }, python: { type: 'string' } } });
  if (positionals.length !== 1) throw new UsageError('review takes one migration file, e.g. alembic-guard review alembic/versions/82233f5589d3_add_notes.py');
  if (values.format !== 'markdown' && values.format !== 'json') throw new UsageError(`unknown --format "${values.format}" (markdown or json)`);
  const file = path.resolve(positionals[0]);
  if (!require('fs').existsSync(file)) {
    process.stderr.write(`alembic-guard: cannot read ${positionals[0]}: no such file or directory\n`);
    return 2;
  }
  const found = await engineHolding(file);
  if (!found) {
    process.stderr.write(`alembic-guard: ${positionals[0]} is not a migration of an Alembic project (no versions folder of an alembic.ini holds it)\n`);
    return 2;
  }
  const { engine, results, project, migration } = found;
  const text = new SourceText(engine.files.readText(file) ?? '');
  const projectFindings = [...results.entries()].filter(([f]) => f !== file).flatMap(([, list]) => list);
  const report = reviewMigration(project, migration, text, results.get(file) ?? [], projectFindings);
  const revision = project.graph.revisionOf(migration);
  // --sql runs the project's own env.py through Alembic: only when asked for.
  if (values.sql && revision) report.offlineSql = await offlineSql(project, revision, projectPython(project, values.python));
  process.stdout.write(values.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : reviewMarkdown(report));
  // This migration's failures decide the exit status; the chain's are reported by `check`.
  return report.checklist.some((item) => item.status === 'fail' && item.scope === 'migration') ? 1 : 0;
}

/**
 * The engine whose projects hold this migration, as `check` would find it: from the folder
 * projectRootOf picks, else the current folder when it holds the file, else each folder up
 * from the file's own (an alembic.ini above a pyproject.toml, a nested versions folder).
 */
async function engineHolding(file: string) {
  const roots = [projectRootOf(file)];
  if (isWithin(file, process.cwd())) roots.push(process.cwd());
  for (let dir = path.dirname(file); path.dirname(dir) !== dir; dir = path.dirname(dir)) roots.push(dir);
  for (const root of [...new Set(roots)]) {
    const engine = await GuardEngine.create(root, { mayRunGit: () => true });
    const results = engine.analyze();
    const project = engine.index.projectOf(file);
    const migration = project?.migrations.find((m) => m.path === file);
    if (project && migration) return { engine, results, project, migration };
  }
  return undefined;
}

function explain(args: string[]): number {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string', default: 'text' } } });
  if (positionals.length !== 1) throw new UsageError('explain takes one rule code, e.g. alembic-guard explain AG101');
  const rule = ruleByCode(positionals[0]) ?? RULES.find((r) => r.name === positionals[0]);
  if (!rule) throw new UsageError(`unknown rule "${positionals[0]}" (see alembic-guard rules)`);
  process.stdout.write((values.format === 'markdown' ? ruleMarkdown(rule) : ruleText(rule)) + '\n');
  return 0;
}

function rules(args: string[]): number {
  const { values } = parseArgs({ args, options: { format: { type: 'string', default: 'text' } } });
  if (values.format === 'json') {
    process.stdout.write(JSON.stringify(RULES.map((r) => ({ code: r.code, name: r.name, severity: r.defaultSeverity, summary: r.summary })), null, 2) + '\n');
  } else {
    for (const rule of RULES) process.stdout.write(`${rule.code}  ${rule.name.padEnd(38)} ${rule.defaultSeverity.padEnd(8)} ${rule.summary.replace(/`/g, '')}\n`);
  }
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await check(rest);
      case 'review':
        return await review(rest);
      case 'explain':
        return explain(rest);
      case 'baseline':
        return await baseline(rest);
      case 'rules':
        return rules(rest);
      case 'server':
        // The same bundle serves both: the server module starts listening when required.
        process.argv = [process.argv[0], process.argv[1], ...rest];
        require('./server');
        return -1;
      case '--version':
      case '-V':
        process.stdout.write(`alembic-guard ${version()}\n`);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(USAGE + '\n');
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`alembic-guard: ${(error as Error).message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}

/** Runs the command line and sets the exit status (the `server` command keeps the process alive). */
export function run(): void {
  // `alembic-guard check | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  main(process.argv.slice(2)).then(
    (code) => {
      if (code >= 0) process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`alembic-guard: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}

if (require.main === module) run();
