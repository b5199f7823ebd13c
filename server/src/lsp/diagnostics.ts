import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver/node';
import type { Finding } from '../engine/analysis/finding';
import type { Severity } from '../engine/project/guardConfig';
import { ruleByCode, ruleDocumentationUrl } from '../engine/rules/registry';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(finding: Finding): Diagnostic {
  const rule = ruleByCode(finding.code);
  return {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    code: finding.code,
    codeDescription: rule ? { href: ruleDocumentationUrl(rule) } : undefined,
    source: 'alembic-guard',
    message: `${finding.message} (${finding.name})`,
  };
}
