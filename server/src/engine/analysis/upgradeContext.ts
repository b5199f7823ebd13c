import type { HelperCall, MigrationFile } from '../migration/migrationFile';
import type { Span } from '../python/syntax';
import { effectsOf } from '../schema/statementEffects';

/** Larger than any file's length: a helper's own positions become a fraction of one character. */
const WITHIN_CALL = 1e8;

/**
 * Where a call runs in its phase, as an offset to compare with others: its own position in
 * upgrade(), or, inside a helper of the module, the position of the call to the helper (and,
 * among the helper's calls, their order in the helper).
 */
export function runsAt(item: { callSpan: Span; via?: HelperCall[] }): number {
  return item.via?.length ? item.via[0].callSpan.start + item.callSpan.start / WITHIN_CALL : item.callSpan.start;
}

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
