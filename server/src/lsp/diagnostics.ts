import * as fs from 'fs';
import * as path from 'path';
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import type { Finding } from '../engine/analysis/finding';
import type { Severity } from '../engine/project/guardConfig';
import { ruleByCode, ruleDocumentationUrl } from '../engine/rules/registry';
import type { Rule } from '../engine/rules/rule';

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
    codeDescription: rule ? { href: documentationLink(rule) } : undefined,
    source: 'alembic-guard',
    message: `${finding.message} (${finding.name})`,
  };
}

/** docs/rules.md as shipped beside the server (the .vsix, the npm package), and where each rule's section starts. */
let bundled: { file: string; lines: Map<string, number> } | null | undefined;

/**
 * Where the code in a diagnostic links: the rule's section of the documentation bundled with the
 * extension (it opens in the editor, offline), else the repository the package declares.
 */
function documentationLink(rule: Rule): string {
  if (bundled === undefined) bundled = readBundledDocs();
  const line = bundled?.lines.get(rule.code);
  return bundled && line !== undefined ? `${URI.file(bundled.file).toString()}#L${line}` : ruleDocumentationUrl(rule);
}

function readBundledDocs(): { file: string; lines: Map<string, number> } | null {
  // dist/server.js beside docs/ (bundled), or out/server/src/lsp/ in the repository.
  for (const candidate of ['../docs/rules.md', '../../../../docs/rules.md']) {
    const file = path.resolve(__dirname, candidate);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const lines = new Map<string, number>();
    text.split('\n').forEach((line, i) => {
      const heading = /^## (AG\d{3}) /.exec(line);
      if (heading) lines.set(heading[1], i + 1);
    });
    return { file, lines };
  }
  return null;
}
