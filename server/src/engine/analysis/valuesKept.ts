import type { MigrationFile, OpCall } from '../migration/migrationFile';
import { effectsOf } from '../schema/statementEffects';
import { escapeRegExp, wordPattern } from '../text/wordPattern';
import { earlierInUpgrade } from './upgradeContext';
import { runsAt } from '../migration/executionOrder';

/**
 * Whether upgrade(), before `offset`, keeps what a column holds before it is dropped: a write
 * that reads the column and its table (`INSERT INTO new SELECT col FROM t`, `UPDATE other SET x =
 * t.col FROM t`, `UPDATE t SET new_col = col`, an insert/update expression naming both); or a
 * DELETE of every row of its table, after which there is nothing to lose; or rows read in Python whose
 * column is then written elsewhere (`row.col` before a `bulk_insert` or an update expression).
 * With `earlierRevision`, asked of a revision before the one that drops the column: its copy.
 */
export function columnValuesKept(migration: MigrationFile, table: string, column: string, drop: Pick<OpCall, 'callSpan' | 'via'>, source: string, earlierRevision = false): boolean {
  const offset = runsAt(drop);
  const columnWord = wordPattern(column);
  const tableWord = wordPattern(table);
  const escaped = escapeRegExp(column);
  // The column read as a value: named, and not as the target of an assignment (`col = …`).
  const readsColumn = (text: string) => new RegExp(`(^|[^\\w])${escaped}(?!\\s*=[^=])([^\\w]|$)`, 'i').test(text);
  const earlier = earlierInUpgrade(offset);
  for (const sql of migration.sql.filter(earlier)) {
    for (const effect of effectsOf(sql)) {
      // Emptied in this upgrade, nothing is left to lose; emptied by an earlier revision, rows came since.
      if (effect.kind === 'delete' && effect.table === table && !effect.hasWhere && !earlierRevision) return true;
      if (effect.kind !== 'insert' && effect.kind !== 'update') continue;
      const sameTable = effect.kind === 'update' && effect.table === table;
      if (sameTable ? readsColumn(sql.sql.replace(/^[\s\S]*?\bSET\b/i, '')) : tableWord.test(sql.sql) && columnWord.test(sql.sql)) return true;
    }
  }
  if (migration.executedExpressions.filter(earlier).some((e) => /\b(insert|update|values)\s*\(/.test(e.source) && columnWord.test(e.source) && tableWord.test(e.source))) return true;
  // Rows read in Python and written elsewhere: the column read off a row (`row.col`, `row["col"]`)
  // before a write, both running before the drop (in upgrade() or in helpers it calls earlier).
  const readOffRow = new RegExp(`\\w\\.${escaped}\\b|\\[\\s*['"]${escaped}['"]\\s*\\]`);
  const writes = [...migration.ops.filter((op) => op.name === 'bulk_insert'), ...migration.executedExpressions, ...migration.ormWrites].filter(earlier);
  // In an earlier revision the drop is not there: only the functions that write count, and they must name the table.
  const readsHere = (text: string) => readOffRow.test(text) && (!earlierRevision || tableWord.test(text));
  return writes.length > 0 && [...(earlierRevision ? [] : [drop]), ...writes].some((item) => readsHere(functionTextBefore(source, item.callSpan.start)));
}

/** The text of the function around `offset` (upgrade() or a helper), from its `def` up to `offset`. */
export function functionTextBefore(source: string, offset: number): string {
  const start = [...source.slice(0, offset).matchAll(/^(?:async\s+)?def\s/gm)].pop()?.index;
  return start === undefined ? '' : source.slice(start, offset);
}
