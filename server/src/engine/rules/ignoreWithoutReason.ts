import type { SuppressionRule } from './rule';

export const ignoreWithoutReason: SuppressionRule = {
  code: 'AG901',
  name: 'ignore-without-reason',
  scope: 'suppression',
  defaultSeverity: 'warning',
  summary: 'an ignore comment with no reason (it does not suppress)',
  docs: {
    whatItDoes: 'Flags `# alembic-guard: ignore[CODE]` and `# alembic-guard: ignore-file[CODE]` comments that give no reason after the codes. Such a comment suppresses nothing.',
    whyIsThisBad:
      'An ignore is a decision someone took about data ("this drop is intentional, invite codes were removed by design"). Without the reason, the next reviewer cannot tell a deliberate drop from a silenced accident.',
    example: 'op.drop_table("invite_codes")  # alembic-guard: ignore[AG101]',
    useInstead: 'op.drop_table("invite_codes")  # alembic-guard: ignore[AG101] invite codes removed for public launch, data exported',
    fix: 'Type the reason after the closing bracket.',
    origin: "A team's migration guide, pro tip: \"Comment your migrations explaining WHY: This drop is intentional\".",
  },
};
