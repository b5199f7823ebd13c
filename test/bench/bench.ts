// `npm run bench [-- PATH]`: speed and memory figures with their targets. Not a test: the
// numbers depend on the machine; they are printed, not asserted.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { GuardEngine } from '../../server/src/engine/engine';
import { MigrationReader, readMigrationFile } from '../../server/src/engine/migration/migrationFile';
import { PythonParser } from '../../server/src/engine/python/pythonParser';
import { RULES } from '../../server/src/engine/rules/registry';
import type { MigrationRule } from '../../server/src/engine/rules/rule';
import { SourceText } from '../../server/src/engine/text/sourceText';
import { LspClient } from '../support/lspClient';
import { threeHundredLineMigration, writeBenchProject } from './benchProject';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');
const rows: string[][] = [];

function stats(samples: number[]): { median: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], p95: sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] };
}

function time(runs: number, work: () => void): number[] {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    work();
    samples.push(performance.now() - t0);
  }
  return samples;
}

async function timeAsync(runs: number, work: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await work();
    samples.push(performance.now() - t0);
  }
  return samples;
}

function row(figure: string, samples: number[] | number, unit: string, target: string, met?: boolean): void {
  const { median, p95 } = Array.isArray(samples) ? stats(samples) : { median: samples, p95: samples };
  const format = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
  rows.push([figure, `${format(median)} ${unit}`, `${format(p95)} ${unit}`, target, met === undefined ? '' : met ? 'met' : 'MISSED']);
}

function print(title: string): void {
  const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...[['figure', 'median', 'p95', 'target', ''], ...rows].map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  console.log(`\n${title}\n`);
  console.log(line(['figure', 'median', 'p95', 'target', '']));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  rows.forEach((r) => console.log(line(r)));
}

async function serverFigures(root: string, file: string): Promise<void> {
  const client = await LspClient.start(root);
  const text = fs.readFileSync(file, 'utf8');
  await client.open(file, text);
  await client.waitFor(() => client.diagnosticsOf(file).length > 0, 'first diagnostics', 120000);
  const pid = (client as unknown as { process: { pid: number } }).process.pid;
  const rss = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  row('server RSS after indexing', rss, 'MB', '< 150 MB', rss < 150);
  const latencies: number[] = [];
  for (let version = 2; version < 22; version++) {
    const edited = text.replace('def upgrade() -> None:', `def upgrade() -> None:\n    # edit ${version}`);
    const t0 = performance.now();
    await client.change(file, edited, version);
    await client.waitFor(() => client.diagnostics.get(client.uri(file))?.version === version, `diagnostics of version ${version}`, 60000);
    latencies.push(performance.now() - t0);
  }
  row('keystroke → diagnostics (server, incl. 75 ms debounce)', latencies, 'ms', '< 150 ms', stats(latencies).p95 < 150);
  await client.stop();
}

async function main(): Promise<void> {
  const given = process.argv[2];
  const root = given ? path.resolve(given) : fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-guard-bench-'));
  if (!given) writeBenchProject(root, 1000);
  const parser = await PythonParser.load();

  // Cold index of the whole workspace: a fresh engine (fresh caches) each run.
  let engine = await GuardEngine.create(root);
  const cold: number[] = [];
  // Nine runs: a shared machine moves single runs by a third.
  for (let i = 0; i < 9; i++) {
    const t0 = performance.now();
    engine = await GuardEngine.create(root);
    engine.analyze();
    cold.push(performance.now() - t0);
  }
  const project = engine.index.projects[0];
  const count = engine.index.projects.reduce((n, p) => n + p.migrations.length, 0);
  row(`cold workspace index + all rules (${count} migrations)`, cold, 'ms', given ? '' : '< 1000 ms', given ? undefined : stats(cold).median < 1000);
  // The same with the facts an earlier run stored (what the CLI and the server do from their second run on).
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-guard-bench-cache-'));
  const facts = { file: path.join(cache, 'facts.bin'), build: 'bench' };
  const seeded = await GuardEngine.create(root, { facts });
  seeded.analyze();
  seeded.saveFacts();
  const warm = await timeAsync(9, async () => (await GuardEngine.create(root, { facts })).analyze());
  row('  the same, with facts stored by an earlier run', warm, 'ms', '');

  if (!given && project) {
    const text = threeHundredLineMigration();
    const file = path.join(root, 'alembic/versions/feedfacecafe_a_large_migration.py');
    const source = new SourceText(text);
    const rules = RULES.filter((r): r is MigrationRule => r.scope === 'migration');
    const analyzeOne = (tree: ReturnType<PythonParser['parse']>) => {
      const migration = readMigrationFile(file, tree);
      for (const rule of rules) rule.check({ project, migration, text: source, source: () => source, mayRunGit: false });
    };
    time(20, () => {
      const tree = parser.parse(text);
      analyzeOne(tree);
      tree.delete();
    });
    const floor = time(200, () => parser.parse(text).delete());
    const full = time(200, () => {
      const tree = parser.parse(text);
      analyzeOne(tree);
      tree.delete();
    });
    row(`one ${text.split('\n').length}-line migration: parse + all rules`, full, 'ms', '< 2 ms', stats(full).median < 2);
    row('  floor: bare tree-sitter parse of the same bytes', floor, 'ms', '');
    const ratio = stats(full).median / stats(floor).median;
    row('  engine cost / bare parse', ratio, '×', '≤ 2×', ratio <= 2);
    // An open document, as the server keeps it: its tree, and a reader that re-reads only what an edit touched.
    const reader = new MigrationReader();
    let previous = text;
    let tree = parser.parse(text);
    reader.read(file, tree);
    // A keystroke inside an operation in the middle of upgrade(): one statement changes, the ones after it move.
    const typedAt = text.indexOf('nullable=True', text.length / 3) + 'nullable=True'.length;
    const incremental = time(200, () => {
      const next = previous.length === text.length ? text.slice(0, typedAt) + 'x' + text.slice(typedAt) : text;
      const updated = parser.reparse(previous, tree, next);
      if (updated !== tree) tree.delete();
      tree = updated;
      previous = next;
      const migration = reader.read(file, tree);
      for (const rule of rules) rule.check({ project, migration, text: source, source: () => source, mayRunGit: false });
    });
    row('re-analysis after a one-character edit (incremental)', incremental, 'ms', 'p95 < 1 ms', stats(incremental).p95 < 1);
  }

  const runCheck = (...extra: string[]) =>
    spawnSync(process.execPath, [CLI, 'check', root, '--format', 'json', '--exit-zero', ...extra], { stdio: 'ignore', env: { ...process.env, ALEMBIC_GUARD_CACHE_DIR: cache } });
  const firstCheck = time(5, () => runCheck('--no-cache'));
  row('alembic-guard check, first run (incl. Node start)', firstCheck, 'ms', '');
  runCheck();
  const check = time(5, () => runCheck());
  row('alembic-guard check, facts cached by an earlier run', check, 'ms', '');
  const alembic = spawnSync('alembic', ['--version'], { encoding: 'utf8' });
  const ini = project?.alembic.configFile;
  if (alembic.status === 0 && ini && fs.existsSync(ini)) {
    const heads = () => execFileSync('alembic', ['-c', ini, 'heads'], { cwd: path.dirname(ini), encoding: 'utf8' });
    const theirs = new Set(heads().split('\n').filter(Boolean).map((l) => l.split(' ')[0]));
    const ours = new Set(project!.graph.heads);
    const alembicTimes = time(5, () => heads());
    row(`alembic heads (${alembic.stdout.trim()})`, alembicTimes, 'ms', '');
    // alembic heads itself runs from .pyc files compiled by its earlier runs: the cached check is its match.
    row('  alembic heads time / check time, first run', stats(alembicTimes).median / stats(firstCheck).median, '×', '');
    const speedup = stats(alembicTimes).median / stats(check).median;
    row('  alembic heads time / check time, facts cached', speedup, '×', 'several ×', speedup >= 2);
    console.log(`heads: alembic ${[...theirs].join(', ')} | alembic-guard ${[...ours].join(', ')} → ${theirs.size === ours.size && [...theirs].every((h) => ours.has(h)) ? 'same' : 'DIFFERENT'}`);
  } else {
    console.log('alembic is not installed here: the comparison with `alembic heads` is skipped');
  }

  if (!given && project) await serverFigures(root, project.migrations[project.migrations.length - 1].path);
  print(`Alembic Guard benchmark: ${given ?? `generated project, ${count} migrations, 200 models`} (${os.cpus().length} cores, Node ${process.version})`);
  if (!given) fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(cache, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
