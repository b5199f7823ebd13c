import type { TableObject, TableState } from './schemaState';

/**
 * Whether `table` (a state after an upgrade) still has what `lost` gave: an object of any kind
 * on the same columns with the same or stronger uniqueness (a unique constraint and a unique
 * index are interchangeable; unique on fewer of the columns is stronger), a foreign key on the
 * same columns; or an index whose leading columns cover a plain index (a left prefix serves the
 * same lookups).
 */
export function hasEquivalent(table: TableState, lost: TableObject): boolean {
  const others = table.objects.filter((o) => o !== lost);
  const same = (o: TableObject) => o.columns.length === lost.columns.length && o.columns.every((c, i) => c === lost.columns[i]);
  const sameSet = (o: TableObject) => o.columns.length === lost.columns.length && o.columns.every((c) => lost.columns.includes(c));
  const leads = (o: TableObject) => o.columns.length >= lost.columns.length && lost.columns.every((c, i) => o.columns[i] === c);
  switch (lost.kind) {
    case 'foreign_key':
      // A foreign key on the same columns, whatever it now refers to: the reference was changed, not lost.
      return others.some((o) => o.kind === 'foreign_key' && sameSet(o));
    case 'check':
    case 'exclude':
      return others.some((o) => o.kind === lost.kind && (!!o.name && o.name === lost.name));
    default:
      if (lost.expressions || !lost.columns.length) return false;
      // An expression index over the same columns (`lower(email)` for `email`) is a deliberate replacement.
      // Unique on a subset of the columns is stronger: unique on (email) implies unique on (email, state).
      if (lost.unique) return others.some((o) => o.unique && o.columns.length > 0 && o.columns.every((c) => lost.columns.includes(c)));
      return others.some((o) => o.kind !== 'foreign_key' && o.kind !== 'check' && (same(o) || (!o.expressions && leads(o))));
  }
}
