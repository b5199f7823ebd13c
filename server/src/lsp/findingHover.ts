import type { Finding } from '../engine/analysis/finding';
import type { Rule } from '../engine/rules/rule';

/** The command that opens a rule's full documentation inside the editor. */
export const SHOW_DOCUMENTATION_COMMAND = 'alembicGuard.showRuleDocumentation';

/**
 * A finding as its hover shows it: what is wrong and how to fix it first, then one sentence of
 * why, where the rule comes from, and a link to the full documentation (inside the editor).
 * The operation's SQL and lock follow it in the same hover.
 */
export function findingMarkdown(finding: Finding, rule: Rule): string {
  const fix = finding.fixes.find((f) => !f.cursor);
  const lines = [
    `**${rule.code}** \`${rule.name}\` · ${finding.severity}`,
    '',
    finding.message,
    '',
    `**Fix:** ${fix ? `${fix.title} (Quick Fix: Ctrl+.)` : rule.docs.fix}`,
    '',
    `**Why:** ${firstSentence(rule.docs.whyIsThisBad)}`,
    '',
    `**From:** ${rule.docs.origin}`,
    '',
    `[Full documentation of ${rule.code}](command:${SHOW_DOCUMENTATION_COMMAND}?${encodeURIComponent(JSON.stringify([rule.code]))})`,
  ];
  return lines.join('\n');
}

/** Up to the first full stop that ends a sentence (not one inside `code` or a version number). */
function firstSentence(text: string): string {
  const match = /^[\s\S]*?[.!?](?=\s+[A-Z(`"]|\s*$)/.exec(text);
  return (match ? match[0] : text).trim();
}
