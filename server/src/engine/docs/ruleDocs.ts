import { ruleDocumentationUrl } from '../rules/registry';
import type { Rule } from '../rules/rule';

/** A rule's documentation as Markdown: the hover, `explain --format markdown` and docs/rules.md. */
export function ruleMarkdown(rule: Rule, headingLevel = 2): string {
  const h = '#'.repeat(headingLevel);
  const d = rule.docs;
  return [
    `${h} ${rule.code} ${rule.name}`,
    '',
    `Default severity: **${rule.defaultSeverity}**`,
    '',
    `${h}# What it does`,
    d.whatItDoes,
    '',
    `${h}# Why is this bad?`,
    d.whyIsThisBad,
    '',
    `${h}# Example`,
    '```python',
    d.example,
    '```',
    '',
    `${h}# Use instead`,
    '```python',
    d.useInstead,
    '```',
    '',
    `${h}# Fix`,
    d.fix,
    '',
    `${h}# Where it comes from`,
    d.origin,
  ].join('\n');
}

/** The same documentation for a terminal: `alembic-guard explain CODE`. */
export function ruleText(rule: Rule): string {
  const d = rule.docs;
  const indent = (s: string) => s.split('\n').map((l) => `    ${l}`).join('\n');
  return [
    `${rule.code} ${rule.name} (default severity: ${rule.defaultSeverity})`,
    '',
    'What it does',
    indent(d.whatItDoes),
    '',
    'Why is this bad?',
    indent(d.whyIsThisBad),
    '',
    'Example',
    indent(d.example),
    '',
    'Use instead',
    indent(d.useInstead),
    '',
    'Fix',
    indent(d.fix),
    '',
    'Where it comes from',
    indent(d.origin),
    '',
    `Documentation: ${ruleDocumentationUrl(rule)}`,
  ].join('\n');
}
