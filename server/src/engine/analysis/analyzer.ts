import * as path from 'path';
import { minimatch } from 'minimatch';
import { ignoreFix } from '../fixes/ignoreComment';
import type { AlembicProject } from '../project/alembicProject';
import type { MigrationFile } from '../migration/migrationFile';
import { isRuleEnabled, Severity } from '../project/guardConfig';
import type { WorkspaceIndex } from '../project/workspaceIndex';
import { ignoreWithoutReason } from '../rules/ignoreWithoutReason';
import { RULES } from '../rules/registry';
import type { MigrationRule, ProjectRule, Rule } from '../rules/rule';
import { unusedIgnore } from '../rules/unusedIgnore';
import { SourceText } from '../text/sourceText';
import type { Finding, Report } from './finding';
import { covers, readIgnoreComments } from './suppressions';

export type FindingsByFile = Map<string, Finding[]>;

/**
 * Runs the enabled rules over every project of a workspace and applies configuration and
 * ignore comments. A rule that throws loses its findings for that file only; the error is
 * reported once through `onRuleError`.
 */
export class Analyzer {
  private readonly reportedErrors = new Set<string>();
  /** Per project snapshot (a new one after every refresh): its migrations by path. */
  private readonly migrationsByPath = new WeakMap<AlembicProject, Map<string, MigrationFile>>();

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly onRuleError: (message: string) => void = () => {},
    private readonly rules: readonly Rule[] = RULES,
    /** Whether git may run now: the editor's workspace trust, which can be granted later. */
    private readonly mayRunGit: () => boolean = () => false,
  ) {}

  analyzeWorkspace(): FindingsByFile {
    const all: FindingsByFile = new Map();
    for (const project of this.index.projects) {
      for (const [file, findings] of this.analyzeProject(project)) all.set(file, [...(all.get(file) ?? []), ...findings]);
    }
    return all;
  }

  /**
   * Every rule on the project; with `only`, just the per-migration rules on those migrations
   * (ignore comments are still applied, but unused-ignore is left to the full pass).
   */
  analyzeProject(project: AlembicProject, only?: Set<string>): FindingsByFile {
    const sources = new Map<string, SourceText | undefined>();
    const source = (file: string) => {
      if (!sources.has(file)) {
        const text = this.index.files.readText(file);
        sources.set(file, text === undefined ? undefined : new SourceText(text));
      }
      return sources.get(file);
    };
    const enabled = this.rules.filter((rule) => isRuleEnabled(project.guard, rule.code));
    const excluded = (file: string) => {
      if (!project.guard.exclude.length) return false;
      const relative = path.relative(project.root, file).split(path.sep).join('/');
      return project.guard.exclude.some((pattern) => minimatch(relative, pattern, { dot: true, matchBase: !pattern.includes('/') }));
    };
    const findings: Finding[] = [];
    const mayRunGit = this.mayRunGit();
    const history = historicalMigrations(project);
    for (const migration of project.migrations) {
      if (excluded(migration.path) || (only && !only.has(migration.path))) continue;
      // Applied long ago and never to be edited: the schema still learns from it, the review does not.
      if (history.has(migration.path)) continue;
      const text = source(migration.path);
      if (!text) continue;
      for (const rule of enabled.filter((r): r is MigrationRule => r.scope === 'migration')) {
        const reports = this.guarded(rule, migration.path, () => rule.check({ project, migration, text, source, mayRunGit }));
        findings.push(...withoutRepeats(reports).map((report) => this.toFinding(rule, report, project, source)));
      }
    }
    for (const rule of only ? [] : enabled.filter((r): r is ProjectRule => r.scope === 'project')) {
      const reports = this.guarded(rule, project.root, () => rule.check({ project, source, mayRunGit }));
      findings.push(...reports.filter((r) => !excluded(r.file)).map((report) => this.toFinding(rule, report, project, source)));
    }
    const byFile: FindingsByFile = new Map();
    for (const finding of findings) byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding]);
    const ignoreRules = only ? enabled.filter((r) => r.code !== unusedIgnore.code) : enabled;
    for (const [file, fileFindings] of byFile) byFile.set(file, this.applyIgnores(project, file, fileFindings, source, ignoreRules));
    for (const migration of project.migrations) {
      if ((only && !only.has(migration.path)) || history.has(migration.path)) continue;
      if (!byFile.has(migration.path) && !excluded(migration.path)) {
        const unused = this.applyIgnores(project, migration.path, [], source, ignoreRules);
        if (unused.length) byFile.set(migration.path, unused);
      }
    }
    for (const [file, fileFindings] of byFile) byFile.set(file, fileFindings.sort(byPosition));
    return byFile;
  }

  private guarded(rule: Rule, file: string, check: () => Report[]): Report[] {
    try {
      return check();
    } catch (error) {
      const key = `${rule.code}:${file}`;
      if (!this.reportedErrors.has(key)) {
        this.reportedErrors.add(key);
        this.onRuleError(`${rule.code} failed on ${file}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
      return [];
    }
  }

  private toFinding(rule: Rule, report: Report, project: AlembicProject, source: (file: string) => SourceText | undefined): Finding {
    const severity: Severity = project.guard.severity[rule.code] ?? report.severity ?? rule.defaultSeverity;
    const text = source(report.file);
    const fixes = text ? [...report.fixes, ignoreFix(report.file, text, report.range, rule.code)] : report.fixes;
    return { code: rule.code, name: rule.name, severity, file: report.file, range: report.range, message: report.message, fixes };
  }

  /** Drops findings covered by a reasoned ignore; reports reasonless (AG901) and unused (AG902) ignores. */
  private applyIgnores(
    project: AlembicProject,
    file: string,
    findings: Finding[],
    source: (file: string) => SourceText | undefined,
    enabled: readonly Rule[],
  ): Finding[] {
    const text = source(file);
    if (!text) return findings;
    const comments = this.commentsOf(project, file, text.text);
    const ignores = readIgnoreComments(comments, text);
    if (!ignores.length) return findings;
    const kept = findings.filter((finding) => {
      const ignore = ignores.find((i) => i.reason && covers(i, finding, text));
      if (ignore) ignore.used = true;
      return !ignore;
    });
    const enabledCodes = new Set(enabled.map((r) => r.code));
    const severityOf = (rule: Rule) => project.guard.severity[rule.code] ?? rule.defaultSeverity;
    for (const ignore of ignores) {
      const range = text.rangeOf(ignore.span.start, ignore.span.end);
      if (!ignore.reason && enabledCodes.has(ignoreWithoutReason.code)) {
        kept.push({
          code: ignoreWithoutReason.code,
          name: ignoreWithoutReason.name,
          severity: severityOf(ignoreWithoutReason),
          file,
          range,
          message: `ignore[${ignore.codes.join(',')}] has no reason, so it suppresses nothing: say why after the bracket`,
          fixes: [],
        });
      } else if (ignore.reason && !ignore.used && enabledCodes.has(unusedIgnore.code) && ignore.codes.some((c) => c === 'ALL' || [...enabledCodes].some((e) => e.startsWith(c)))) {
        const line = ignore.line;
        const removal = ignore.standalone
          ? text.rangeOf(text.lineStart(line), text.nextLineStart(line))
          : text.rangeOf(trimmedStart(text.text, ignore.span.start), ignore.span.end);
        kept.push({
          code: unusedIgnore.code,
          name: unusedIgnore.name,
          severity: severityOf(unusedIgnore),
          file,
          range,
          message: `ignore[${ignore.codes.join(',')}] suppresses nothing${ignore.fileWide ? ' in this file' : ' here'}`,
          fixes: [{ title: 'Remove the unused ignore comment', edits: [{ file, edits: [{ range: removal, newText: '' }] }], preferred: true }],
        });
      }
    }
    return kept;
  }

  private commentsOf(project: AlembicProject, file: string, text: string): { text: string; span: { start: number; end: number } }[] {
    let byPath = this.migrationsByPath.get(project);
    if (!byPath) this.migrationsByPath.set(project, (byPath = new Map(project.migrations.map((m) => [m.path, m]))));
    const migration = byPath.get(file);
    if (migration) return migration.comments;
    return this.index.cache.module(file, text).comments;
  }
}

/**
 * The migrations `start-after` declares history: the named revisions and their ancestors. A name
 * that is no revision of this chain is reported by the configuration check, not guessed at.
 */
export function historicalMigrations(project: AlembicProject): Set<string> {
  const known = project.guard.startAfter.filter((id) => project.graph.get(id));
  if (!known.length) return new Set();
  return new Set(project.graph.ancestors(known, true).map((id) => project.graph.get(id)!.migration.path));
}

/** Back over the spaces before a trailing comment, so removing it leaves no trailing blanks. */
function trimmedStart(text: string, offset: number): number {
  let start = offset;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  return start;
}

function byPosition(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code);
}

/**
 * Reports said once: a helper of the migration that upgrade() calls twice runs its operations
 * twice, and a rule sees the same statement at the same place twice.
 */
function withoutRepeats(reports: Report[]): Report[] {
  const seen = new Set<string>();
  return reports.filter((report) => {
    const key = `${report.file}\0${report.range.start.line}:${report.range.start.character}-${report.range.end.line}:${report.range.end.character}\0${report.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
