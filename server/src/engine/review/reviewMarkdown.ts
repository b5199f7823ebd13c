import type { MigrationReview } from './migrationReview';

const MARK = { pass: 'x', fail: ' ', todo: ' ' } as const;

/** The review as Markdown: the editor's report and a pull request description. */
export function reviewMarkdown(review: MigrationReview): string {
  const lines = [
    `# Review: ${review.message ?? review.file}`,
    '',
    `- **Revision**: \`${review.revision ?? '?'}\`${review.isHead ? ' (head)' : ''}`,
    `- **Parents**: ${review.parents.length ? review.parents.map((p) => `\`${p}\``).join(', ') : 'none (base)'}`,
    `- **Children**: ${review.children.length ? review.children.map((c) => `\`${c}\``).join(', ') : 'none'}`,
    `- **Created**: ${review.createDate ?? 'unknown'}`,
    `- **File**: \`${review.file}\``,
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
      lines.push(`| ${o.line} | \`${o.operation}\` | ${o.table ?? ''} | ${o.destructive ? '**yes**' : ''} | ${o.lock ?? ''} | ${inverse} |`);
    }
    lines.push('');
  }
  lines.push('## Findings', '');
  if (!review.findings.length) lines.push('_None._');
  for (const finding of review.findings) {
    const fix = finding.fixes.find((f) => f.preferred) ?? finding.fixes.find((f) => !f.cursor);
    lines.push(`- **${finding.code}** \`${finding.name}\` (line ${finding.range.start.line + 1}, ${finding.severity}): ${finding.message}${fix ? `  \n  Fix: ${fix.title}` : ''}`);
  }
  lines.push('', '## Checklist', '');
  for (const item of review.checklist) {
    const who = item.status === 'todo' ? ' _(a person checks this)_' : item.status === 'fail' ? ' — **fails**' : '';
    lines.push(`- [${MARK[item.status]}] ${item.label}${who}`);
  }
  if (review.offlineSql) {
    lines.push('', '## Offline SQL', '', `\`${review.offlineSql.command}\``, '');
    lines.push(review.offlineSql.sql ? '```sql\n' + review.offlineSql.sql.trimEnd() + '\n```' : `_Not available: ${review.offlineSql.error}_`);
  }
  return lines.join('\n') + '\n';
}
