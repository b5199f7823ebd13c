import type { Finding } from '../engine/analysis/finding';

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
      fixes: f.fixes.map((fix) => ({ title: fix.title })),
    })),
    null,
    2,
  );
}
