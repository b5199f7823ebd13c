import type { SuppressionRule } from './rule';

export const unusedIgnore: SuppressionRule = {
  code: 'AG902',
  name: 'unused-ignore',
  scope: 'suppression',
  defaultSeverity: 'warning',
  summary: 'an ignore comment that suppresses nothing',
  docs: {
    whatItDoes: 'Flags an ignore comment (with a reason) whose codes match no finding on its line, the line below it, or (for `ignore-file`) the file.',
    whyIsThisBad:
      'A stale ignore outlives the operation it excused; when a dangerous operation later lands on that line it is silenced without anyone deciding so.',
    example: '# alembic-guard: ignore[AG101] old table, data exported\nop.add_column("users", sa.Column("phone", sa.String()))',
    useInstead: '# the comment removed, or moved to the operation it was meant for\nop.add_column("users", sa.Column("phone", sa.String()))',
    fix: 'Remove the unused ignore comment.',
    origin: 'The same practice as ruff\'s unused-noqa (RUF100): suppressions are reviewed code too.',
  },
};
