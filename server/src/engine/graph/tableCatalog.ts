import type { MigrationFile } from '../migration/migrationFile';
import { upgradeTableEffects } from '../migration/tableEffects';
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
  for (const effect of upgradeTableEffects(migration)) {
    if (effect.kind === 'create') tables.add(effect.table);
    if (effect.kind === 'drop') tables.delete(effect.table);
    if (effect.kind === 'rename' && effect.table !== undefined) {
      tables.delete(effect.table);
      if (effect.newName) tables.add(effect.newName);
    }
  }
}
