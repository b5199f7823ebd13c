import type { MigrationFile, OpCall } from '../migration/migrationFile';
import { readSql } from '../sql/sqlStatements';
import type { RevisionGraph } from './revisionGraph';

/**
 * Which tables exist before and after each revision, replaying upgrades from the bases along
 * the graph (create, drop, rename; ops and raw SQL), once per revision.
 */
export class TableCatalog {
  private readonly after = new Map<string, Set<string>>();

  constructor(private readonly graph: RevisionGraph) {}

  /** Tables that exist when this revision's upgrade() starts (its parents' tables). */
  before(revision: string): Set<string> {
    const node = this.graph.get(revision);
    const tables = new Set<string>();
    for (const parent of node?.downRevisions ?? []) for (const t of this.afterRevision(parent)) tables.add(t);
    return tables;
  }

  private afterRevision(revision: string): Set<string> {
    const known = this.after.get(revision);
    if (known) return known;
    // Iterative, parents first: deep chains must not recurse.
    const order = this.graph.ancestors([revision], false).reverse();
    for (const id of order) {
      if (this.after.has(id)) continue;
      const node = this.graph.get(id)!;
      const tables = new Set<string>();
      for (const parent of node.downRevisions) for (const t of this.after.get(parent) ?? []) tables.add(t);
      applyUpgrade(node.migration, tables);
      this.after.set(id, tables);
    }
    return this.after.get(revision) ?? new Set();
  }
}

function applyUpgrade(migration: MigrationFile, tables: Set<string>): void {
  for (const op of migration.ops) if (op.phase === 'upgrade') applyOp(op, tables);
  for (const sql of migration.sql) {
    if (sql.phase !== 'upgrade') continue;
    for (const effect of readSql(sql.sql).effects) {
      if (effect.kind === 'create_table') tables.add(effect.table);
      if (effect.kind === 'drop_table') effect.tables.forEach((t) => tables.delete(t));
      if (effect.kind === 'rename_table') {
        tables.delete(effect.table);
        tables.add(effect.newName);
      }
    }
  }
}

function applyOp(op: OpCall, tables: Set<string>): void {
  if (!op.table) return;
  if (op.name === 'create_table') tables.add(op.table);
  if (op.name === 'drop_table') tables.delete(op.table);
  if (op.name === 'rename_table') {
    const renamed = op.arguments.get('new_table_name')?.value;
    tables.delete(op.table);
    if (typeof renamed === 'string') tables.add(renamed);
  }
}
