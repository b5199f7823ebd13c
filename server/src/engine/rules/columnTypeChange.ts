import { createdEarlierInUpgrade } from '../analysis/upgradeContext';
import type { MigrationRule } from './rule';

export const columnTypeChange: MigrationRule = {
  code: 'AG503',
  name: 'column-type-change',
  scope: 'migration',
  defaultSeverity: 'warning',
  summary: '`alter_column(type_=…)`',
  docs: {
    whatItDoes: 'Flags `alter_column(..., type_=...)` on a table this migration did not create.',
    whyIsThisBad:
      'Most type changes rewrite the whole table and its indexes under an ACCESS EXCLUSIVE lock, and a cast that fails on one row aborts the migration. Values can also be truncated or rounded silently (VARCHAR(255) → VARCHAR(64), NUMERIC scale).',
    example: 'op.alter_column("accounts", "balance", type_=sa.DECIMAL(15, 2))',
    useInstead: '# add a new column, backfill it in batches, switch the code, then drop the old one\nop.add_column("accounts", sa.Column("balance_v2", sa.DECIMAL(15, 2), nullable=True))',
    fix: 'Not mechanical: expand/contract through a new column for large or busy tables; ignore with a reason for small ones.',
    origin: 'Seed 003, Rule 2 example: `op.alter_column(\'accounts\', \'balance\', type_=sa.DECIMAL(15,2))` among "multiple unrelated changes".',
  },
  check({ migration, text }) {
    return migration.ops
      .filter((op) => op.phase === 'upgrade' && op.name === 'alter_column' && op.table && op.arguments.has('type_') && !createdEarlierInUpgrade(migration, op.table, op.callSpan.start))
      .map((op) => ({
        file: migration.path,
        range: text.rangeOf(op.callSpan.start, op.callSpan.end),
        message: `changing the type of "${op.table}.${op.arguments.get('column_name')?.value}" to ${op.arguments.get('type_')!.text} usually rewrites the table under an exclusive lock`,
        fixes: [],
      }));
  },
};
