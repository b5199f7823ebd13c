import type { MigrationFile } from '../migration/migrationFile';
import { effectsOf } from '../schema/statementEffects';

/** Whether a call of upgrade() comes before `offset`: what can prepare the statement there (a backfill, a copy). */
export function earlierInUpgrade(offset: number): (item: { phase: string | undefined; callSpan: { start: number } }) => boolean {
  return (item) => item.phase === 'upgrade' && item.callSpan.start < offset;
}

/**
 * A table this upgrade() created before `offset`: new and empty, so locks, defaults and
 * rewrites on it cost nothing and lose nothing.
 */
export function createdEarlierInUpgrade(migration: MigrationFile, table: string, offset: number): boolean {
  if (migration.ops.some((op) => op.phase === 'upgrade' && op.name === 'create_table' && op.table === table && op.callSpan.start < offset)) return true;
  return migration.sql.some(
    (sql) => sql.phase === 'upgrade' && sql.callSpan.start < offset && effectsOf(sql).some((e) => e.kind === 'create_table' && e.table === table),
  );
}
