import { TableEffect, upgradeTableEffects } from '../migration/tableEffects';
import type { RevisionGraph } from './revisionGraph';

/**
 * Which tables exist before and after each revision, replaying upgrades from the bases along
 * the graph (create, drop, rename; ops and raw SQL), once per revision.
 */
export class TableCatalog {
  private readonly after = new Map<string, ReadonlySet<string>>();

  constructor(private readonly graph: RevisionGraph) {}

  /** Tables that exist when this revision's upgrade() starts (its parents' tables). */
  before(revision: string): ReadonlySet<string> {
    const parents = this.graph.get(revision)?.downRevisions ?? [];
    if (parents.length === 1) return this.afterRevision(parents[0]);
    const tables = new Set<string>();
    for (const parent of parents) for (const t of this.afterRevision(parent)) tables.add(t);
    return tables;
  }

  private afterRevision(revision: string): ReadonlySet<string> {
    const known = this.after.get(revision);
    if (known) return known;
    // Iterative, parents first: deep chains must not recurse.
    const order = this.graph.ancestors([revision], false).reverse();
    for (const id of order) {
      if (this.after.has(id)) continue;
      const node = this.graph.get(id)!;
      const effects = upgradeTableEffects(node.migration);
      const only = node.downRevisions.length === 1 ? this.after.get(node.downRevisions[0]) : undefined;
      // Most revisions create, drop and rename no table: they share their parent's set.
      if (only && effects.every((effect) => effect.kind === 'alter')) {
        this.after.set(id, only);
        continue;
      }
      const tables = new Set<string>(only);
      if (!only) for (const parent of node.downRevisions) for (const t of this.after.get(parent) ?? []) tables.add(t);
      applyEffects(effects, tables);
      this.after.set(id, tables);
    }
    return this.after.get(revision) ?? new Set();
  }
}

function applyEffects(effects: TableEffect[], tables: Set<string>): void {
  for (const effect of effects) {
    if (effect.kind === 'create') tables.add(effect.table);
    if (effect.kind === 'drop') tables.delete(effect.table);
    if (effect.kind === 'rename' && effect.table !== undefined) {
      tables.delete(effect.table);
      if (effect.newName) tables.add(effect.newName);
    }
  }
}
