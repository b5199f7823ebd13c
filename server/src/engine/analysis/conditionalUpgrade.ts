import type { MigrationFile } from '../migration/migrationFile';
import { branchDatabase } from './codeBranch';

/**
 * `upgrade()` opens with `if <condition>: return` on something other than the database's kind:
 * a replay of an older migration tool's revision that does nothing where that tool already ran
 * it, so its operations run on fresh databases, or on old ones, by a test the engine cannot see.
 */
export function upgradeMaySkipItself(migration: MigrationFile): boolean {
  return migration.functions.some(
    (f) => f.phase === 'upgrade' && f.skippedWhen !== undefined && branchDatabase({ kind: 'if', condition: f.skippedWhen }) === undefined,
  );
}
