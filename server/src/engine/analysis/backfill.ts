import type { MigrationFile } from '../migration/migrationFile';
import { effectsOf, isRunTimeName } from '../schema/statementEffects';
import { wordPattern } from '../text/wordPattern';
import { earlierInUpgrade } from './upgradeContext';

/**
 * Whether upgrade() fills in a column before `offset`: an UPDATE that sets it (schema-qualified
 * or not, through `op.execute`, `sa.text` or a connection, its table named at run time or not), an update expression that names it
 * (`t.update().values(col=…)`), or an ORM write: the backfill a new NOT NULL column needs.
 */
export function backfilledBefore(migration: MigrationFile, table: string, column: string, offset: number): boolean {
  const earlier = earlierInUpgrade(offset);
  for (const sql of migration.sql.filter(earlier)) {
    for (const effect of effectsOf(sql)) {
      if (effect.kind === 'update' && (effect.table === table || isRunTimeName(effect.table)) && (!effect.columns || effect.columns.includes(column))) return true;
    }
    // SQL the parser could not read: an UPDATE naming the table and the column.
    if (/\bUPDATE\b/i.test(sql.sql) && wordPattern(table).test(sql.sql) && wordPattern(column).test(sql.sql) && !effectsOf(sql).some((e) => e.kind === 'update')) return true;
  }
  if (migration.executedExpressions.filter(earlier).some((e) => /\bupdate\b/i.test(e.source) && wordPattern(column).test(e.source))) return true;
  return migration.ormWrites.some(earlier);
}
