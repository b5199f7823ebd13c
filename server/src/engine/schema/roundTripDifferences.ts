import { classifyTypeChange, readColumnType } from './columnType';
import type { RoundTrip } from './schemaHistory';
import type { ChangeSource, ColumnState, TableObject, TableState } from './schemaState';

/** What `downgrade()` leaves different from the schema `upgrade()` started from, at the operation that made it. */
export interface RoundTripDifference {
  source: ChangeSource;
  message: string;
  /** The statement that undoes it, when one can be written without guessing (a real name, nothing that existed before). */
  inverse: string | undefined;
}

/** Index and constraint equivalence: same name, a name the other could have by default, or same kind, columns and uniqueness. */
export function sameObject(a: TableObject, b: TableObject): boolean {
  const aName = a.name?.toLowerCase();
  const bName = b.name?.toLowerCase();
  if (aName && bName) return aName === bName;
  if (aName && b.defaultNames.includes(aName)) return true;
  if (bName && a.defaultNames.includes(bName)) return true;
  const sameKind = a.kind === b.kind || (a.unique && b.unique && a.kind !== 'primary_key' && b.kind !== 'primary_key');
  return sameKind && !a.expressions && !b.expressions && a.columns.length > 0 && a.columns.join(',') === b.columns.join(',');
}

function objectLabel(object: TableObject): string {
  const what = object.family === 'index' ? (object.unique ? 'unique index' : 'index') : object.kind === 'foreign_key' ? 'foreign key' : object.kind === 'primary_key' ? 'primary key' : `${object.kind} constraint`;
  return object.name ? `${what} "${object.name}"` : `${what} on (${object.columns.join(', ')})`;
}

const CONSTRAINT_TYPE: Record<string, string> = { unique: 'unique', foreign_key: 'foreignkey', primary_key: 'primary', check: 'check' };

/**
 * Every difference between the state before `upgrade()` and the state after `upgrade()` then
 * `downgrade()`, reported once at the operation that made it. Undefined when either function
 * does something that cannot be read (SQL in a variable, a DO block, a name held in a variable):
 * then nothing about the round trip is certain.
 */
export function roundTripDifferences(trip: RoundTrip, quote: string): RoundTripDifference[] | undefined {
  if (trip.upgrade.opaque || trip.downgrade.opaque) return undefined;
  const unreadable = new Set([...trip.upgrade.opaqueTables, ...trip.downgrade.opaqueTables]);
  const str = (value: string) => `${quote}${value.replace(/\\/g, '\\\\').split(quote).join(`\\${quote}`)}${quote}`;
  const schemaArgument = (table: TableState) => (table.schema ? `, schema=${str(table.schema)}` : '');
  const differences: RoundTripDifference[] = [];
  const keys = new Set([...trip.after.changedKeys, ...trip.afterDowngrade.changedKeys]);
  const renamedAway = new Map(trip.upgrade.renamed.map((r) => [r.from, r]));
  const renamedTo = new Set(trip.upgrade.renamed.map((r) => r.to));
  const fromUpgrade = (source: ChangeSource | undefined): source is ChangeSource => source?.phase === 'upgrade';

  for (const key of keys) {
    if (unreadable.has(key)) continue;
    const before = trip.before.tableByKey(key);
    const middle = trip.after.tableByKey(key);
    const after = trip.afterDowngrade.tableByKey(key);
    if (!before && after) {
      if (after.temporary) continue;
      if (renamedTo.has(key)) {
        const rename = trip.upgrade.renamed.find((r) => r.to === key)!;
        const [from] = [trip.before.tableByKey(rename.from)];
        differences.push({
          source: rename.source,
          message: `downgrade() does not rename "${after.name}" back to "${from?.name ?? rename.from}"`,
          inverse: from ? `op.rename_table(${str(after.name)}, ${str(from.name)}${schemaArgument(after)})` : undefined,
        });
        continue;
      }
      if (!fromUpgrade(after.createdBy)) continue;
      differences.push({
        source: after.createdBy,
        message: `downgrade() does not drop table "${after.name}", which upgrade() creates`,
        inverse: `op.drop_table(${str(after.name)}${schemaArgument(after)})`,
      });
      continue;
    }
    if (before && !after) {
      if (renamedAway.has(key)) continue; // reported at the table it was renamed to
      const drop = trip.upgrade.dropped.find((d) => d.table.key === key && !d.column && !d.object);
      if (drop) {
        differences.push({ source: drop.source, message: `downgrade() does not re-create table "${before.name}", which upgrade() drops`, inverse: undefined });
        continue;
      }
      const lost = trip.downgrade.dropped.find((d) => d.table.key === key && !d.column && !d.object);
      // Only a table the upgrade left as it found it: one the upgrade re-created is the upgrade's to undo.
      if (lost && middle?.createdBy === before.createdBy) {
        differences.push({ source: lost.source, message: `downgrade() drops table "${before.name}", which existed before upgrade(): a rollback deletes its rows`, inverse: undefined });
      }
      continue;
    }
    if (!before || !after) continue;
    const comparison = { trip, differences, str, schemaArgument };
    compareColumns(before, middle, after, comparison);
    compareObjects(before, after, comparison);
  }

  for (const drop of trip.upgrade.unknownDrops) {
    const tableKey = drop.table ? (drop.schema ? `${drop.schema}.${drop.table}` : drop.table) : undefined;
    if (tableKey && unreadable.has(tableKey)) continue;
    const after = tableKey ? trip.afterDowngrade.tableByKey(tableKey) : undefined;
    let restored: boolean;
    let what: string;
    switch (drop.family) {
      case 'table':
        restored = !!after;
        what = `table "${drop.name}"`;
        break;
      case 'column':
        // A table dropped by this upgrade takes its columns along: reported once, at the table.
        restored = !after || after.columns.has(drop.name) || trip.upgrade.dropped.some((d) => d.table.key === tableKey && !d.column && !d.object);
        what = `column "${drop.table}.${drop.name}"`;
        break;
      default: {
        const lower = drop.name.toLowerCase();
        const candidates = after ? [after] : drop.table ? [] : [...trip.afterDowngrade.tables.values()];
        // Re-created by name, or (the drop's name unknown to us) by any object of that family the downgrade creates on the table.
        restored =
          (!after && !!drop.table) ||
          candidates.some((t) => t.objects.some((o) => o.name?.toLowerCase() === lower || o.defaultNames.includes(lower) || (o.createdBy?.phase === 'downgrade' && (o.family === drop.family || o.unique))));
        what = `${drop.family} "${drop.name}"`;
      }
    }
    if (!restored) differences.push({ source: drop.source, message: `downgrade() does not restore ${what}, which upgrade() drops`, inverse: undefined });
  }
  return differences.sort((a, b) => a.source.span.start - b.source.span.start);
}

/** What the comparisons of one round trip share: the trip, where differences go, and how inverses are written. */
interface Comparison {
  trip: RoundTrip;
  differences: RoundTripDifference[];
  str: (v: string) => string;
  schemaArgument: (t: TableState) => string;
}

function compareColumns(before: TableState, middle: TableState | undefined, after: TableState, comparison: Comparison): void {
  const { trip, differences, str, schemaArgument } = comparison;
  for (const [name, column] of after.columns) {
    if (before.columns.has(name)) continue;
    if (column.createdBy?.phase !== 'upgrade') continue;
    differences.push({
      source: column.createdBy,
      message: `downgrade() does not drop column "${after.name}.${name}", which upgrade() adds`,
      inverse: `op.drop_column(${str(after.name)}, ${str(name)}${schemaArgument(after)})`,
    });
  }
  for (const [name, column] of before.columns) {
    const now = after.columns.get(name);
    // The same column object: nothing touched it.
    if (now === column && middle?.columns.get(name) === column) continue;
    if (!now) {
      const drop = trip.upgrade.dropped.find((d) => d.table.key === before.key && d.column?.name === name);
      const rename = trip.upgrade.renamedColumns.find((r) => r.table === before.key && r.from === name);
      if (rename) {
        if (after.columns.has(rename.to)) {
          differences.push({
            source: rename.source,
            message: `downgrade() does not rename column "${after.name}.${rename.to}" back to "${name}"`,
            inverse: `op.alter_column(${str(after.name)}, ${str(rename.to)}, new_column_name=${str(name)}${schemaArgument(after)})`,
          });
        }
      } else if (drop) differences.push({ source: drop.source, message: `downgrade() does not re-add column "${before.name}.${name}", which upgrade() drops`, inverse: undefined });
      else {
        const lost = trip.downgrade.dropped.find((d) => d.table.key === before.key && d.column?.name === name);
        if (lost && middle?.columns.get(name) === column) {
          differences.push({ source: lost.source, message: `downgrade() drops column "${before.name}.${name}", which existed before upgrade(): a rollback deletes its values`, inverse: undefined });
        }
      }
      continue;
    }
    const between = middle?.columns.get(name);
    if (!between) continue;
    compareAttribute(before, name, column, between, now, 'type', differences);
    compareAttribute(before, name, column, between, now, 'nullable', differences);
  }
}

function compareAttribute(table: TableState, name: string, before: ColumnState, middle: ColumnState, after: ColumnState, attribute: 'type' | 'nullable', differences: RoundTripDifference[]): void {
  const changedBy = (c: ColumnState) => (attribute === 'type' ? c.typeChangedBy : c.nullableChangedBy);
  const valueOf = (c: ColumnState) => (attribute === 'type' ? c.type?.replace(/\s+/g, '') : c.nullable);
  // An upgrade that sets what was already there changes nothing.
  const settlesNothing = !!changedBy(before) && valueOf(before) !== undefined && valueOf(before) === valueOf(middle);
  const upgraded = changedBy(middle) !== changedBy(before) && !settlesNothing;
  const downgraded = changedBy(after) !== changedBy(middle);
  const what = attribute === 'type' ? `the type of "${table.name}.${name}"` : `whether "${table.name}.${name}" allows NULL`;
  if (upgraded && !downgraded) {
    differences.push({ source: changedBy(middle)!, message: `upgrade() changes ${what} and downgrade() does not change it back`, inverse: undefined });
  } else if (!upgraded && downgraded && changedBy(after) && changedBy(before) && valueOf(after) !== valueOf(before)) {
    // What it was before is known only from the operation that last set it (a create or a change), never from an `existing_*` hint.
    if (attribute === 'type' && before.type && after.type) {
      const from = readColumnType(before.type);
      const to = readColumnType(after.type);
      if (from && to && classifyTypeChange(from, to) === 'same') return;
    }
    if (attribute === 'nullable' && before.nullable !== undefined && before.nullable === after.nullable) return;
    // An upgrade that set the value it already had (`nullable=True` on a nullable column) looks like a change to undo, and is none.
    const why = settlesNothing && changedBy(middle) !== changedBy(before) ? `, which upgrade() left as it was (it set the value the column already had)` : `, which upgrade() did not change`;
    differences.push({ source: changedBy(after)!, message: `downgrade() changes ${what}${why}`, inverse: undefined });
  } else if (upgraded && downgraded && changedBy(before)) {
    if (attribute === 'nullable') {
      if (before.nullable !== undefined && after.nullable !== undefined && before.nullable !== after.nullable) {
        differences.push({ source: changedBy(after)!, message: `downgrade() does not restore ${what}`, inverse: undefined });
      }
      return;
    }
    const from = readColumnType(before.type);
    const to = readColumnType(after.type);
    if (from && to && from.family !== 'other' && to.family !== 'other' && classifyTypeChange(from, to) !== 'same') {
      differences.push({ source: changedBy(after)!, message: `downgrade() changes "${table.name}.${name}" to ${after.type}, not back to ${before.type}`, inverse: undefined });
    }
  }
}

function compareObjects(before: TableState, after: TableState, comparison: Comparison): void {
  const { trip, differences, str, schemaArgument } = comparison;
  const kept = new Set(after.objects);
  for (const object of after.objects) {
    if (before.objects.includes(object) || object.createdBy?.phase !== 'upgrade') continue;
    if (before.objects.some((o) => sameObject(o, object))) continue;
    // Objects of a column the upgrade added are undone with the column.
    if (object.columns.some((c) => !before.columns.has(c) && after.columns.get(c)?.createdBy?.phase === 'upgrade')) continue;
    const name = object.name;
    const inverse = !name
      ? undefined
      : object.family === 'index'
        ? `op.drop_index(${str(name)}, table_name=${str(after.name)}${schemaArgument(after)})`
        : CONSTRAINT_TYPE[object.kind]
          ? `op.drop_constraint(${str(name)}, ${str(after.name)}, type_=${str(CONSTRAINT_TYPE[object.kind])}${schemaArgument(after)})`
          : undefined;
    differences.push({ source: object.createdBy, message: `downgrade() does not drop the ${objectLabel(object)} of "${after.name}", which upgrade() creates`, inverse });
  }
  for (const object of before.objects) {
    if (kept.has(object) || after.objects.some((o) => sameObject(o, object))) continue;
    const drop = trip.upgrade.dropped.find((d) => d.object === object);
    if (drop) {
      // It went with a column or a table the upgrade dropped: reported there, once.
      if (object.columns.some((c) => !after.columns.has(c) || trip.upgrade.dropped.some((d) => d.column?.name === c && d.table.key === before.key))) continue;
      differences.push({ source: drop.source, message: `downgrade() does not re-create the ${objectLabel(object)} of "${before.name}", which upgrade() drops`, inverse: undefined });
      continue;
    }
    const lost = trip.downgrade.dropped.find((d) => d.object === object);
    if (lost) differences.push({ source: lost.source, message: `downgrade() drops the ${objectLabel(object)} of "${before.name}", which existed before upgrade()`, inverse: undefined });
  }
}
