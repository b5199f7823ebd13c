import type { Report } from '../analysis/finding';
import { asLockAdvice, lockAdviceMoot } from '../analysis/lockAdvice';
import { branchDatabase } from '../analysis/codeBranch';
import { newOrLockedInUpgrade } from '../analysis/upgradeContext';
import { runsAt } from '../migration/executionOrder';
import { onPostgres } from '../project/alembicProject';
import { effectsOf } from '../schema/statementEffects';
import type { MigrationRule } from './rule';

export const uniqueConstraintUnderLock: MigrationRule = {
  code: 'AG512',
  name: 'unique-constraint-under-lock',
  scope: 'migration',
  defaultSeverity: 'warning',
  summary: 'a unique constraint or primary key added to an existing table (index built under lock; fails on duplicates)',
  docs: {
    whatItDoes:
      'On PostgreSQL, flags `op.create_unique_constraint`, `op.create_primary_key` and `ALTER TABLE … ADD CONSTRAINT … UNIQUE / PRIMARY KEY` (without `USING INDEX`) on a table this migration did not create. Information for a project that migrates with its application stopped (see `deploy`).',
    whyIsThisBad:
      'PostgreSQL builds the constraint\'s index while holding an ACCESS EXCLUSIVE lock on the table: no reads and no writes until the build ends. One duplicate among the existing rows makes the migration fail after all that waiting.',
    example: 'op.create_unique_constraint("uq_users_email", "users", ["email"])',
    useInstead:
      'with op.get_context().autocommit_block():\n    op.create_index("uq_users_email", "users", ["email"], unique=True, postgresql_concurrently=True)\nop.execute("ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE USING INDEX uq_users_email")',
    fix: 'Not mechanical: build the unique index concurrently, then `ADD CONSTRAINT … USING INDEX`.',
    origin: "PostgreSQL's ALTER TABLE documentation on ADD table_constraint_using_index.",
  },
  check({ migration, project, text, mayRunGit }) {
    if (!onPostgres(project)) return [];
    const reports: Report[] = [];
    const report = (start: number, end: number, table: string, what: string) =>
      reports.push(
        ...asLockAdvice(project, migration, {
          file: migration.path,
          range: text.rangeOf(start, end),
          message: `adding a ${what} to "${table}" builds its index while the table is locked for reads and writes, and fails on any duplicate: build a unique index concurrently first, then ADD CONSTRAINT … USING INDEX`,
          fixes: [],
        }),
      );
    for (const op of migration.ops) {
      if (op.phase !== 'upgrade' || (op.name !== 'create_unique_constraint' && op.name !== 'create_primary_key') || !op.table || branchDatabase(op.guard) === 'other') continue;
      if (lockAdviceMoot(project, migration, op, mayRunGit)) continue;
      report(op.callSpan.start, op.callSpan.end, op.table, op.name === 'create_primary_key' ? 'primary key' : 'unique constraint');
    }
    for (const sql of migration.sql) {
      if (sql.phase !== 'upgrade' || /\bUSING\s+INDEX\b/i.test(sql.sql)) continue;
      for (const effect of effectsOf(sql)) {
        if (effect.kind !== 'add_constraint' || (effect.constraint.kind !== 'unique' && effect.constraint.kind !== 'primary_key')) continue;
        if (newOrLockedInUpgrade(migration, effect.table, runsAt(sql))) continue;
        report(sql.callSpan.start, sql.callSpan.end, effect.table, effect.constraint.kind === 'primary_key' ? 'primary key' : 'unique constraint');
      }
    }
    return reports;
  },
};
