import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Finding } from '../engine/analysis/finding';
import { ruleText } from '../engine/docs/ruleDocs';
import { ruleDocumentationUrl, RULES } from '../engine/rules/registry';

const LEVEL = { error: 'error', warning: 'warning', info: 'note', hint: 'note' } as const;

/** SARIF 2.1.0 for code scanning: every rule with its help, results with 1-based regions. */
export function formatSarif(findings: Finding[], cwd: string, version: string): string {
  const index = new Map(RULES.map((rule, i) => [rule.code, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'alembic-guard',
            version,
            informationUri: 'https://github.com/alembic-guard/alembic-guard',
            rules: RULES.map((rule) => ({
              id: rule.code,
              name: rule.name,
              shortDescription: { text: rule.summary.replace(/`/g, '') },
              fullDescription: { text: rule.docs.whatItDoes.replace(/`/g, '') },
              help: { text: ruleText(rule), markdown: `${rule.docs.whyIsThisBad}\n\n**Fix:** ${rule.docs.fix}` },
              helpUri: ruleDocumentationUrl(rule),
              defaultConfiguration: { level: LEVEL[rule.defaultSeverity] },
            })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(cwd + path.sep).href } },
        results: findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: index.get(f.code),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: path.relative(cwd, f.file).split(path.sep).join('/'), uriBaseId: 'SRCROOT' },
                region: { startLine: f.range.start.line + 1, startColumn: f.range.start.character + 1, endLine: f.range.end.line + 1, endColumn: f.range.end.character + 1 },
              },
            },
          ],
        })),
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}
