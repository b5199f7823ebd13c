import type { Finding } from '../engine/analysis/finding';
import { isSafeFix } from '../engine/fixes/combinedFixes';

/** One object per finding; positions 0-based as in LSP. */
export function formatJson(findings: Finding[]): string {
  return JSON.stringify(
    findings.map((f) => ({
      code: f.code,
      name: f.name,
      severity: f.severity,
      file: f.file,
      range: f.range,
      message: f.message,
      // As ruff says it: applied by --fix (safe), by --unsafe-fixes, or only by a person (an ignore's reason).
      fixes: f.fixes.map((fix) => ({ title: fix.title, applicability: fix.cursor ? 'manual' : isSafeFix(fix) ? 'safe' : 'unsafe' })),
    })),
    null,
    2,
  );
}
