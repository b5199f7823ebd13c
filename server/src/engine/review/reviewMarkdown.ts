import type { MigrationReview } from './migrationReview';

const MARK = { pass: 'x', fail: ' ', todo: ' ', 'n/a': 'x' } as const;

/**
 * Text quoted from the migration, safe in Markdown: raw HTML would render in a pull request and
 * `|` would split a table cell; markup characters are escaped.
 */
export function escapeMarkdown(text: string): string {
  // Only what can turn into markup mid-line: HTML, table cells, code, emphasis, links (GitHub leaves intraword `_` alone).
  return text.replace(/[\\`*[\]<>|]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

/** Inline code that stays one span whatever backticks it holds. */
function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const padded = text.startsWith('`') || text.endsWith('`') ? ` ${text} ` : text;
  return `${fence}${padded.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}${fence}`;
}

/** The review as Markdown: the editor's report and a pull request description. */
export function reviewMarkdown(review: MigrationReview): string {
  const lines = [
    `# Review: ${escapeMarkdown(review.message ?? review.file)}`,
    '',
    `- **Revision**: ${code(review.revision ?? '?')}${review.isHead ? ' (head)' : ''}`,
    `- **Parents**: ${review.parents.length ? review.parents.map(code).join(', ') : 'none (base)'}`,
    `- **Children**: ${review.children.length ? review.children.map(code).join(', ') : 'none'}`,
    `- **Created**: ${escapeMarkdown(review.createDate ?? 'unknown')}`,
    `- **File**: ${code(review.file)}`,
    '',
  ];
  for (const phase of ['upgrade', 'downgrade'] as const) {
    const operations = review.operations.filter((o) => o.phase === phase);
    lines.push(`## ${phase}()`, '');
    if (!operations.length) {
      lines.push('_No operations._', '');
      continue;
    }
    lines.push('| line | operation | table | destructive | lock | undone in ' + (phase === 'upgrade' ? 'downgrade' : 'upgrade') + ' |', '|---|---|---|---|---|---|');
    for (const o of operations) {
      const inverse = o.inverseInOtherFunction === undefined ? '' : o.inverseInOtherFunction ? 'yes' : '**no**';
      lines.push(`| ${o.line} | ${code(o.operation)} | ${escapeMarkdown(o.table ?? '')} | ${o.destructive ? '**yes**' : ''} | ${escapeMarkdown(o.lock ?? '')} | ${inverse} |`);
    }
    lines.push('');
  }
  lines.push('## Findings', '');
  if (!review.findings.length) lines.push('_None._');
  for (const finding of review.findings) {
    const fix = finding.fixes.find((f) => f.preferred) ?? finding.fixes.find((f) => !f.cursor);
    lines.push(`- **${finding.code}** \`${finding.name}\` (line ${finding.range.start.line + 1}, ${finding.severity}): ${escapeMarkdown(finding.message)}${fix ? `  \n  Fix: ${escapeMarkdown(fix.title)}` : ''}`);
  }
  // This migration's items, then the chain's: a second head elsewhere is not this migration's failure.
  for (const [scope, title] of [['migration', 'Checklist'], ['chain', 'The chain and the models']] as const) {
    lines.push('', `## ${title}`, '');
    for (const item of review.checklist.filter((c) => c.scope === scope)) {
      const who = item.status === 'todo' ? ' _(a person checks this)_' : item.status === 'fail' ? ' — **fails**' : item.status === 'n/a' ? ' _(does not apply)_' : '';
      lines.push(`- [${MARK[item.status]}] ${item.label}${who}`);
    }
  }
  if (review.offlineSql) {
    lines.push('', '## Offline SQL', '', `\`${review.offlineSql.command}\``, '');
    lines.push(review.offlineSql.sql ? '```sql\n' + review.offlineSql.sql.trimEnd() + '\n```' : `_Not available: ${review.offlineSql.error}_`);
  }
  return lines.join('\n') + '\n';
}
