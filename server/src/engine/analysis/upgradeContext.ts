import type { HelperCall, MigrationFile } from '../migration/migrationFile';
import type { Span } from '../python/syntax';
import { effectsOf } from '../schema/statementEffects';
import { runsAt } from '../migration/executionOrder';

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
