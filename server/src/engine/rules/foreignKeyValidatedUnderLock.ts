import type { Fix, Report } from '../analysis/finding';
import { asLockAdvice, lockAdviceMoot } from '../analysis/lockAdvice';
import { branchDatabase } from '../analysis/codeBranch';
import { newOrLockedInUpgrade } from '../analysis/upgradeContext';
import { runsAt } from '../migration/executionOrder';
import { onPostgres } from '../project/alembicProject';
import { effectsOf } from '../schema/statementEffects';
import type { MigrationRule } from './rule';

export const foreignKeyValidatedUnderLock: MigrationRule = {
  code: 'AG511',
  name: 'foreign-key-validated-under-lock',
  scope: 'migration',
  defaultSeverity: 'warning',
  summary: 'a foreign key added to an existing table without `NOT VALID`',
  docs: {
    whatItDoes:
      'On PostgreSQL, flags `op.create_foreign_key(...)` (without `postgresql_not_valid=True`) and `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY` (without `NOT VALID`) on a table this migration did not create. Information for a project that migrates with its application stopped (see `deploy`).',
    whyIsThisBad:
      'Adding the constraint checks every existing row against the referenced table while holding SHARE ROW EXCLUSIVE locks on both: every write to either table waits for the scan, and one orphan row makes the migration fail. Real projects write comments about the statement timeouts it caused.',
    example: 'op.create_foreign_key("fk_orders_customer_id", "orders", "customers", ["customer_id"], ["id"])',
    useInstead:
      '# now: the constraint guards new rows at once, existing rows are not scanned\nop.create_foreign_key("fk_orders_customer_id", "orders", "customers", ["customer_id"], ["id"], postgresql_not_valid=True)\n# in a later revision (reads and writes continue while it runs):\nop.execute("ALTER TABLE orders VALIDATE CONSTRAINT fk_orders_customer_id")',
    fix: 'Add `postgresql_not_valid=True`, then validate the constraint in a later revision (`ALTER TABLE … VALIDATE CONSTRAINT …`).',
    origin: "PostgreSQL's ALTER TABLE documentation on ADD CONSTRAINT … NOT VALID and VALIDATE CONSTRAINT.",
  },
  check({ migration, project, text, mayRunGit }) {
    if (!onPostgres(project)) return [];
    const reports: Report[] = [];
    for (const op of migration.ops) {
      if (op.phase !== 'upgrade' || op.name !== 'create_foreign_key' || !op.table || branchDatabase(op.guard) === 'other') continue;
      if (op.arguments.get('postgresql_not_valid')?.text === 'True' || lockAdviceMoot(project, migration, op, mayRunGit)) continue;
      const close = op.source.lastIndexOf(')');
      const trailingComma = /,\s*$/.test(op.source.slice(0, close));
      const at = op.callSpan.start + op.source.slice(0, close).replace(/\s*$/, '').length;
      const fixes: Fix[] = [
        {
          title: 'Add it NOT VALID (then validate it in a later revision)',
          edits: [{ file: migration.path, edits: [{ range: text.rangeOf(at, at), newText: `${trailingComma ? ' ' : ', '}postgresql_not_valid=True` }] }],
        },
      ];
      reports.push(...asLockAdvice(project, migration, { file: migration.path, range: text.rangeOf(op.callSpan.start, op.callSpan.end), message: `adding a foreign key to "${op.table}" checks every existing row while writes to both tables wait: add it NOT VALID and validate it in a later revision`, fixes }));
    }
    for (const sql of migration.sql) {
      if (sql.phase !== 'upgrade') continue;
      for (const effect of effectsOf(sql)) {
        if (effect.kind !== 'add_constraint' || effect.constraint.kind !== 'foreign_key' || effect.constraint.notValid) continue;
        if (newOrLockedInUpgrade(migration, effect.table, runsAt(sql))) continue;
        reports.push(...asLockAdvice(project, migration, { file: migration.path, range: text.rangeOf(sql.callSpan.start, sql.callSpan.end), message: `adding a foreign key to "${effect.table}" checks every existing row while writes to both tables wait: add it NOT VALID and validate it in a later revision`, fixes: [] }));
      }
    }
    return reports;
  },
};
