import * as path from 'path';
import type { Finding } from '../engine/analysis/finding';

interface Palette {
  bold(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
}

const plain: Palette = { bold: (s) => s, red: (s) => s, yellow: (s) => s, cyan: (s) => s, dim: (s) => s };
const ansi: Palette = {
  bold: (s) => `\x1b[1m${s}\x1b[22m`,
  red: (s) => `\x1b[31m${s}\x1b[39m`,
  yellow: (s) => `\x1b[33m${s}\x1b[39m`,
  cyan: (s) => `\x1b[36m${s}\x1b[39m`,
  dim: (s) => `\x1b[2m${s}\x1b[22m`,
};

/** What a run read: every report ends by saying it, so a pass never hides a skipped project. */
export interface CheckedScope {
  migrations: number;
  projects: number;
  seconds: number;
}

/** `file:line:col: CODE [name] message` and a `help:` line with the preferred fix, then what was checked. */
export function formatText(findings: Finding[], cwd: string, color: boolean, scope: CheckedScope): string {
  const c = color ? ansi : plain;
  const lines: string[] = [];
  for (const finding of findings) {
    const where = `${path.relative(cwd, finding.file) || finding.file}:${finding.range.start.line + 1}:${finding.range.start.character + 1}`;
    const code = finding.severity === 'error' ? c.red(finding.code) : finding.severity === 'warning' ? c.yellow(finding.code) : c.cyan(finding.code);
    lines.push(`${c.bold(where)}: ${code} ${c.dim(`[${finding.name}]`)} ${finding.message}`);
    const fix = finding.fixes.find((f) => f.preferred) ?? finding.fixes[0];
    if (fix) lines.push(`  ${c.cyan('help:')} ${fix.title}`);
  }
  const count = (severity: string) => findings.filter((f) => f.severity === severity).length;
  const files = new Set(findings.map((f) => f.file)).size;
  if (findings.length) {
    const parts = [`${count('error')} error${count('error') === 1 ? '' : 's'}`, `${count('warning')} warning${count('warning') === 1 ? '' : 's'}`];
    const other = findings.length - count('error') - count('warning');
    if (other) parts.push(`${other} other`);
    lines.push('', `Found ${findings.length} finding${findings.length === 1 ? '' : 's'} (${parts.join(', ')}) in ${files} file${files === 1 ? '' : 's'}.`);
  } else {
    lines.push('All checks passed.');
  }
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(`Checked ${plural(scope.migrations, 'migration')} in ${plural(scope.projects, 'Alembic project')} in ${scope.seconds.toFixed(1)} s.`);
  return lines.join('\n');
}

/** Findings counted per rule, most first: `  12  AG505  [index-not-concurrent]  warning`. */
export function formatStatistics(findings: Finding[]): string {
  const counts = new Map<string, { count: number; name: string; severities: Set<string> }>();
  for (const finding of findings) {
    const entry = counts.get(finding.code) ?? { count: 0, name: finding.name, severities: new Set<string>() };
    entry.count++;
    entry.severities.add(finding.severity);
    counts.set(finding.code, entry);
  }
  const rows = [...counts].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]));
  const width = String(rows[0]?.[1].count ?? 0).length;
  return rows.map(([code, e]) => `${String(e.count).padStart(width)}  ${code}  [${e.name}]  ${[...e.severities].join('/')}`).join('\n') || 'no findings';
}
