import type { HelperCall, MigrationFile, OpCall } from '../migration/migrationFile';
import type { Span } from '../python/syntax';
import { effectsOf } from '../schema/statementEffects';
import { runsAt } from '../migration/executionOrder';
import { VOLATILE_FUNCTION, volatileFunctionIn } from '../schema/volatileDefaults';

export { runsAt };

/** Whether a call of upgrade() runs before `offset` (see runsAt): what can prepare the statement there (a backfill, a copy). */
export function earlierInUpgrade(offset: number): (item: { phase: string | undefined; callSpan: Span; via?: HelperCall[] }) => boolean {
  return (item) => item.phase === 'upgrade' && runsAt(item) < offset;
}

/**
 * A table this upgrade() created before `offset` (see runsAt): new and empty, so locks, defaults and
 * rewrites on it cost nothing and lose nothing.
 */
export function createdEarlierInUpgrade(migration: MigrationFile, table: string, offset: number): boolean {
  if (migration.ops.some((op) => op.phase === 'upgrade' && op.name === 'create_table' && op.table === table && runsAt(op) < offset)) return true;
  return migration.sql.some(
    (sql) => sql.phase === 'upgrade' && runsAt(sql) < offset && effectsOf(sql).some((e) => e.kind === 'create_table' && e.table === table),
  );
}

/**
 * A table this upgrade() already rewrote before `offset` (see runsAt) by adding a column with a
 * volatile default, or renamed (it, or one of its columns): it is locked against reads and writes
 * until the migration commits, and the running code cannot use it meanwhile, so what later
 * statements lock on it changes nothing. The rewrite or the rename is the finding (AG510, AG504).
 */
function lockedEarlierInUpgrade(migration: MigrationFile, table: string, offset: number): boolean {
  if (migration.ops.some((op) => op.phase === 'upgrade' && op.name === 'add_column' && op.table === table && runsAt(op) < offset && volatileFunctionIn(op.column?.options.get('server_default')))) return true;
  const renamed = (op: OpCall) =>
    (op.name === 'rename_table' && (op.table === table || op.arguments.get('new_table_name')?.value === table)) || (op.name === 'alter_column' && op.table === table && op.arguments.has('new_column_name'));
  if (migration.ops.some((op) => op.phase === 'upgrade' && runsAt(op) < offset && renamed(op))) return true;
  return migration.sql.some(
    (sql) =>
      sql.phase === 'upgrade' &&
      runsAt(sql) < offset &&
      effectsOf(sql).some((e) => e.kind === 'add_column' && e.table === table && e.column.defaultFunctions?.some((f) => VOLATILE_FUNCTION.test(`${f}(`))),
  );
}

/** A table new in this upgrade (created before `offset`) or already locked by it until commit: lock advice on it changes nothing. */
export function newOrLockedInUpgrade(migration: MigrationFile, table: string, offset: number): boolean {
  return createdEarlierInUpgrade(migration, table, offset) || lockedEarlierInUpgrade(migration, table, offset);
}
