import * as path from 'path';
import { asDropOnBranch } from '../analysis/contractBranchDrop';
import type { Report } from '../analysis/finding';
import { dropUndoFixes } from '../fixes/dropUndoFixes';
import { createdName, droppedName } from '../migration/objectNames';
import { protectionOf } from '../project/alembicProject';
import { hasEquivalent } from '../schema/equivalentObjects';
import type { MigrationFile } from '../migration/migrationFile';
import type { MigrationRule } from './rule';

const CONSTRAINT_CREATES = ['create_foreign_key', 'create_unique_constraint', 'create_primary_key', 'create_check_constraint', 'create_exclude_constraint'];

export const dropIndexOrConstraintInUpgrade: MigrationRule = {
  code: 'AG103',
  name: 'drop-index-or-constraint-in-upgrade',
  scope: 'migration',
  defaultSeverity: 'warning',
  summary: 'an index or constraint `upgrade()` loses with nothing equivalent left after it',
  docs: {
    whatItDoes:
      'Flags `drop_index` and `drop_constraint` in `upgrade()` (also in batch blocks) when, after the whole `upgrade()`, the table has nothing equivalent: the same columns with the same or stronger uniqueness, of any kind (a unique constraint replaced by a unique index counts), created before or after the drop, by an operation or in SQL; for a foreign key, one on the same columns. Not reported: an index covered by another index\'s leading columns or by the primary key (redundant), and an index or constraint that goes with a column or table the same `upgrade()` drops. On the `contract` branch of a project that keeps expand and contract branches, where drops belong, the finding is information.',
    whyIsThisBad:
      'Dropping a unique or foreign-key constraint lets bad rows in at once; dropping an index can turn fast queries into full scans in production. Autogenerate emits these drops when a model forgot an `index=True` or a constraint it still needs.',
    example: 'def upgrade() -> None:\n    op.drop_index("ix_users_email", table_name="users")',
    useInstead:
      '# Replacing an index: create the new one in the same upgrade() (not reported)\ndef upgrade() -> None:\n    op.drop_constraint("uq_users_email", "users", type_="unique")\n    op.create_index("ix_users_email", "users", ["email"], unique=True)',
    fix: 'Remove the drop (and its re-create in `downgrade()`). Moving it to `downgrade()` is offered too, never preferred: a rollback would then drop something that existed before.',
    origin: "A team's migration guide, written after autogenerate dropped a table in production, lists \"`op.drop_index()` in `upgrade()` for existing indexes\" among the operations never to let through unreviewed.",
  },
  check({ migration, project, text }) {
    const revision = project.graph.revisionOf(migration);
    const step = revision && project.schema.step(revision.id);
    if (!step) return [];
    const upgradeOps = migration.ops.filter((op) => op.phase === 'upgrade');
    const reports: Report[] = [];
    for (const drop of upgradeOps) {
      if (drop.name !== 'drop_index' && drop.name !== 'drop_constraint') continue;
      const name = droppedName(drop);
      if (!name || step.upgrade.opaque) continue;
      const tableName = drop.table;
      if (tableName && protectionOf(project, tableName)) continue;
      const lost = step.upgrade.dropped.filter((d) => d.object && d.source.span.start === drop.callSpan.start);
      const unknown = step.upgrade.unknownDrops.find((d) => d.source.span.start === drop.callSpan.start);
      let reason: string | undefined;
      if (lost.length) {
        const missing = lost.filter(({ table, object }) => {
          const after = step.after.table(table.name, table.schema);
          if (!after) return false; // it goes with its table
          // Built by this same upgrade for its own work (an index to speed up a backfill), then dropped: nothing lost.
          if (object!.createdBy?.phase === 'upgrade' && object!.createdBy.revision === revision!.id) return false;
          // Its columns as this upgrade leaves them (a column renamed later in the upgrade keeps its index's place).
          // Renamed on the table's old name or its new one (a table renamed in the same upgrade).
          const tableKeys = new Set([after.key, ...step.upgrade.renamed.filter((r) => r.to === after.key).map((r) => r.from)]);
          const renames = step.upgrade.renamedColumns.filter((r) => tableKeys.has(r.table));
          const columns = object!.columns.map((c) => renames.find((r) => r.from === c)?.to ?? c);
          // It goes with a column this upgrade drops.
          if (columns.some((c) => !after.columns.has(c) && (after.complete || step.upgrade.dropped.some((d) => d.column?.name === c)))) return false;
          // A foreign key to a table this upgrade drops goes with that table.
          if (object!.referredTable && !step.after.table(object!.referredTable, table.schema)) return false;
          // Re-created under the same name: a deliberate change of the index or constraint.
          if (after.objects.some((o) => o.createdBy?.phase === 'upgrade' && o.name?.toLowerCase() === name.toLowerCase())) return false;
          // Uniqueness redesigned in the same upgrade: a unique index or constraint it creates covers every column the
          // dropped one had (widened with a scoping column). A plain index is replaced only by one it leads (hasEquivalent).
          const redesigned = object!.unique && after.objects.some((o) => o.unique && o.createdBy?.phase === 'upgrade' && o.createdBy.revision === revision!.id && columns.every((c) => o.columns.includes(c)));
          return !redesigned && !hasEquivalent(after, { ...object!, columns });
        });
        if (!missing.length) continue;
        reason = 'and nothing equivalent is left on the table';
      } else if (unknown) {
        // What it covered is unknown (it predates the migrations): only a create on the same table in this upgrade can stand in for it.
        const key = tableName ? (drop.schema ? `${drop.schema}.${tableName}` : tableName) : undefined;
        if (key && step.upgrade.opaqueTables.has(key)) continue;
        const after = tableName ? step.after.table(tableName, drop.schema) : undefined;
        if (tableName && !after) continue;
        // On a table the chain created, an object the replay never saw was made by something it could not read: unknown.
        if (!after || step.before.table(after.name, after.schema)?.complete) continue;
        const droppedColumns = step.upgrade.dropped.filter((d) => d.column && d.table.name === tableName).map((d) => d.column!.name);
        const unknownColumns = step.upgrade.unknownDrops.filter((d) => d.family === 'column' && d.table === tableName).map((d) => d.name);
        if ([...droppedColumns, ...unknownColumns].some((c) => name.toLowerCase().includes(c.toLowerCase()))) continue;
        // A foreign key named after a table this upgrade drops (`projects_backend_fkey`, "backends" dropped) goes with that table.
        const droppedTables = [...step.upgrade.dropped.filter((d) => !d.column && !d.object).map((d) => d.table.name), ...step.upgrade.unknownDrops.filter((d) => d.family === 'table').map((d) => d.name)];
        if (drop.name === 'drop_constraint' && droppedTables.some((t) => name.toLowerCase().includes(t.toLowerCase().replace(/s$/, '')))) continue;
        // An unqualified name may be the schema-qualified table the search_path finds (autogenerate drops on one, creates on the other).
        const sameTable = drop.schema ? [after] : [...step.after.tables.values()].filter((t) => t.name === tableName);
        const replaced = sameTable.some((t) => t?.objects.some((o) => o.createdBy?.phase === 'upgrade' && o.createdBy.revision === revision!.id && (drop.name === 'drop_index' ? o.family === 'index' || o.unique : o.family === 'constraint' || o.unique)));
        if (replaced) continue;
        reason = 'and does not create a replacement';
      } else continue;
      const what = drop.name === 'drop_index' ? 'index' : 'constraint';
      const kinds = drop.name === 'drop_index' ? ['create_index'] : CONSTRAINT_CREATES;
      // The revision says it drops this (its message names the drop): deliberate, and reviewed as such.
      const said = saysItDrops(migration, name, drop.name === 'drop_index' ? 'index' : drop.arguments.get('type_')?.value);
      reports.push(
        asDropOnBranch(project, migration, {
          ...(said ? { severity: 'info' as const } : {}),
          file: migration.path,
          range: text.rangeOf(drop.callSpan.start, drop.callSpan.end),
          message: `upgrade() drops ${what} "${name}"${tableName ? ` of "${tableName}"` : ''} ${reason}${said ? ' (the revision says it drops it)' : ''}`,
          fixes: dropUndoFixes(migration, text, { label: `${what} "${name}"`, statement: drop.statement, batched: drop.batched }, (op) => kinds.includes(op.name) && createdName(op) === name),
        }),
      );
    }
    return reports;
  },
};

/** Words a revision message uses for the kinds of object it drops. */
const KIND_WORDS: Record<string, RegExp> = {
  index: /\bind(ex|exes|ices)\b/i,
  foreignkey: /\b(foreign[\s_-]?keys?|fks?|constraints?)\b/i,
  unique: /\b(unique|uniqueness|constraints?)\b/i,
  check: /\b(checks?|constraints?)\b/i,
  primary: /\b(primary[\s_-]?keys?|pks?|constraints?)\b/i,
};

/**
 * The revision's message (or file name) says it drops or removes this object: its name, or
 * its kind ("Drop unused indexes", "remove package_tag_revision foreign key").
 */
function saysItDrops(migration: MigrationFile, name: string, kind: unknown): boolean {
  const said = [migration.header?.message ?? '', path.basename(migration.path, '.py').replace(/^[0-9a-f]+_/, '')].join(' ').replace(/_/g, ' ');
  // "Unlink" two tables: remove the foreign keys between them.
  if (kind === 'foreignkey' && /\bunlink(s|ed|ing)?\b/i.test(said)) return true;
  if (!/\b(drop(s|ped|ping)?|remov(e|es|ed|ing)|delet(e|es|ed|ing))\b/i.test(said)) return false;
  if (said.toLowerCase().includes(name.toLowerCase().replace(/_/g, ' '))) return true;
  const words = KIND_WORDS[typeof kind === 'string' ? kind : 'constraint'] ?? /\bconstraints?\b/i;
  return words.test(said);
}
