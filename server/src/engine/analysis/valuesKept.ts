import type { MigrationFile, OpCall } from '../migration/migrationFile';
import { effectsOf } from '../schema/statementEffects';
import { escapeRegExp, wordPattern } from '../text/wordPattern';
import { earlierInUpgrade, runsAt } from './upgradeContext';

/**
 * Whether upgrade(), before `offset`, keeps what a column holds before it is dropped: a write
 * that reads the column and its table (`INSERT INTO new SELECT col FROM t`, `UPDATE other SET x =
 * t.col FROM t`, `UPDATE t SET new_col = col`, an insert/update expression naming both); or a
 * DELETE of every row of its table, after which there is nothing to lose; or rows read in Python whose
 * column is then written elsewhere (`row.col` before a `bulk_insert` or an update expression).
 */
export function columnValuesKept(migration: MigrationFile, table: string, column: string, drop: Pick<OpCall, 'callSpan' | 'via'>, source: string): boolean {
  const offset = runsAt(drop);
  const columnWord = wordPattern(column);
  const tableWord = wordPattern(table);
  const escaped = escapeRegExp(column);
  // The column read as a value: named, and not as the target of an assignment (`col = …`).
  const readsColumn = (text: string) => new RegExp(`(^|[^\\w])${escaped}(?!\\s*=[^=])([^\\w]|$)`, 'i').test(text);
  const earlier = earlierInUpgrade(offset);
  for (const sql of migration.sql.filter(earlier)) {
    for (const effect of effectsOf(sql)) {
      if (effect.kind === 'delete' && effect.table === table && !effect.hasWhere) return true;
      if (effect.kind !== 'insert' && effect.kind !== 'update') continue;
      const sameTable = effect.kind === 'update' && effect.table === table;
      if (sameTable ? readsColumn(sql.sql.replace(/^[\s\S]*?\bSET\b/i, '')) : tableWord.test(sql.sql) && columnWord.test(sql.sql)) return true;
    }
  }
  if (migration.executedExpressions.filter(earlier).some((e) => /\b(insert|update|values)\s*\(/.test(e.source) && columnWord.test(e.source) && tableWord.test(e.source))) return true;
  // Rows read in Python and written elsewhere: the column read off a row (`row.col`, `row["col"]`) before a write.
  // From the start of the function the drop is in: upgrade() or a helper it calls.
  const functionStart = [...source.slice(0, drop.callSpan.start).matchAll(/^(?:async\s+)?def\s/gm)].pop()?.index;
  if (functionStart === undefined) return false;
  const before = source.slice(functionStart, drop.callSpan.start);
  const readOffRow = new RegExp(`\\w\\.${escaped}\\b|\\[\\s*['"]${escaped}['"]\\s*\\]`).test(before);
  const writes = migration.ops.some((op) => earlier(op) && op.name === 'bulk_insert') || migration.executedExpressions.some(earlier) || migration.ormWrites.some(earlier);
  return readOffRow && writes;
}
