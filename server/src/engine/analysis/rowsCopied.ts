import type { HelperCall, MigrationFile, SqlString } from '../migration/migrationFile';
import { runsAt } from '../migration/executionOrder';
import type { Span } from '../python/syntax';
import { effectsOf } from '../schema/statementEffects';
import { escapeRegExp } from '../text/wordPattern';
import { functionTextBefore } from './valuesKept';

/**
 * Whether upgrade(), before `order` (see runsAt), reads `table`'s rows and writes them elsewhere:
 * SQL that writes another table from a query of it (`INSERT INTO new SELECT … FROM old`,
 * `UPDATE new SET … FROM old`), or a function (upgrade() or a helper it calls first) that selects
 * from it and then writes rows (`bulk_insert`, an insert expression, the ORM, INSERT/UPDATE SQL).
 * Rows moved so are not lost when the table is then emptied or dropped.
 */
export function rowsCopiedBefore(migration: MigrationFile, table: string, order: number, source: string): boolean {
  const name = escapeRegExp(table.split('.').pop()!);
  const readsTable = new RegExp(`\\b(FROM|JOIN)\\s+(["\`]?\\w+["\`]?\\.)?["\`]?${name}["\`]?(?![\\w.])|\\b(table|Table)\\(\\s*['"]${name}['"]`, 'i');
  const before = (item: { callSpan: Span; via?: HelperCall[] }) => runsAt(item) < order;
  const writesOther = (sql: SqlString) => effectsOf(sql).some((e) => (e.kind === 'insert' || e.kind === 'update') && e.table !== table);
  if (migration.sql.some((sql) => sql.phase === 'upgrade' && before(sql) && writesOther(sql) && readsTable.test(sql.sql))) return true;
  const writes = [
    ...migration.ops.filter((op) => op.phase === 'upgrade' && op.name === 'bulk_insert'),
    ...migration.executedExpressions.filter((e) => e.phase === 'upgrade' && /\binsert\b|\bupdate\b/i.test(e.source)),
    ...migration.ormWrites.filter((w) => w.phase === 'upgrade' && !/delete/.test(w.method)),
    ...migration.sql.filter((sql) => sql.phase === 'upgrade' && writesOther(sql)),
  ].filter(before);
  return writes.some((write) => readsTable.test(functionTextBefore(source, write.callSpan.start)));
}
