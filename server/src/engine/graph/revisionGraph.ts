import type { MigrationFile } from '../migration/migrationFile';

/** One migration in the graph, with the relations Alembic's RevisionMap derives. */
export interface Revision {
  id: string;
  migration: MigrationFile;
  /** `down_revision`, as a tuple (a merge has several). */
  downRevisions: string[];
  /** `depends_on` resolved to revision ids (branch labels name the revision that declares them). */
  dependencies: string[];
  /** Dependencies that no ancestor already depends on (Alembic's normalized form). */
  normalizedDependencies: string[];
  branchLabels: string[];
  /** Children through down_revision; `allChildren` also through depends_on. */
  children: string[];
  allChildren: string[];
}

export interface MissingReference {
  revision: Revision;
  target: string;
  via: 'down_revision' | 'depends_on';
}

/**
 * The revision graph of one Alembic environment, built the way Alembic's RevisionMap builds
 * it (alembic/script/revision.py), so heads and history come out in Alembic's order. Broken
 * graphs (unknown parents, duplicates, cycles) are recorded instead of raised.
 */
export class RevisionGraph {
  readonly revisions = new Map<string, Revision>();
  readonly duplicates = new Map<string, MigrationFile[]>();
  readonly missing: MissingReference[] = [];
  /** Revisions on a cycle of down_revision / depends_on. */
  readonly cyclic = new Set<string>();
  /** Heads through down_revision only (`alembic heads`), in file order. */
  readonly heads: string[];
  /** Heads counting depends_on too (what `alembic history` starts from). */
  readonly realHeads: string[];
  readonly bases: string[];
  private readonly labelOwners = new Map<string, string>();

  /** `migrations` in the order Alembic reads the files: it decides the order of heads and branches. */
  constructor(migrations: MigrationFile[]) {
    const seen = new Map<string, MigrationFile>();
    for (const migration of migrations) {
      const id = migration.revision?.value;
      if (typeof id !== 'string' || !id) continue;
      const earlier = seen.get(id);
      if (earlier) this.duplicates.set(id, [...(this.duplicates.get(id) ?? [earlier]), migration]);
      seen.set(id, migration);
      // Like Alembic's OrderedDict: a duplicate replaces the entry but keeps its position.
      this.revisions.set(id, {
        id,
        migration,
        downRevisions: tuple(migration.downRevision?.value),
        dependencies: [],
        normalizedDependencies: [],
        // A label held in a constant (`(cli.EXPAND_BRANCH,)`) is a label all the same: named as written.
        branchLabels: [...tuple(migration.branchLabels?.value), ...(migration.branchLabels?.names ?? []).filter((name) => name !== 'None')],
        children: [],
        allChildren: [],
      });
    }
    for (const revision of this.revisions.values()) for (const label of revision.branchLabels) this.labelOwners.set(label, revision.id);
    for (const revision of this.revisions.values()) {
      for (const dependency of tuple(revision.migration.dependsOn?.value)) {
        const target = this.revisions.has(dependency) ? dependency : this.labelOwners.get(dependency);
        if (target) revision.dependencies.push(target);
        else this.missing.push({ revision, target: dependency, via: 'depends_on' });
      }
      for (const parent of revision.downRevisions) {
        if (!this.revisions.has(parent)) this.missing.push({ revision, target: parent, via: 'down_revision' });
      }
    }
    const versionedParents = new Set<string>();
    const allParents = new Set<string>();
    for (const revision of this.revisions.values()) {
      for (const parent of dedupe([...revision.downRevisions, ...revision.dependencies])) {
        const target = this.revisions.get(parent);
        if (!target) continue;
        target.allChildren.push(revision.id);
        allParents.add(parent);
        if (revision.downRevisions.includes(parent)) {
          target.children.push(revision.id);
          versionedParents.add(parent);
        }
      }
    }
    this.findCycles();
    for (const revision of this.revisions.values()) revision.normalizedDependencies = this.normalizeDependencies(revision);
    this.heads = [...this.revisions.keys()].filter((id) => !versionedParents.has(id) && !this.cyclic.has(id));
    this.realHeads = [...this.revisions.keys()].filter((id) => !allParents.has(id) && !this.cyclic.has(id));
    this.bases = [...this.revisions.values()].filter((r) => r.downRevisions.length === 0).map((r) => r.id);
  }

  get(id: string): Revision | undefined {
    return this.revisions.get(id);
  }

  revisionOf(migration: MigrationFile): Revision | undefined {
    const id = migration.revision?.value;
    const revision = typeof id === 'string' ? this.revisions.get(id) : undefined;
    return revision?.migration === migration ? revision : undefined;
  }

  /** Every branch label on the lineage of a revision: its own and its ancestors'. */
  lineageLabels(id: string): Set<string> {
    const labels = new Set<string>();
    for (const ancestor of this.ancestors([id], false)) for (const label of this.revisions.get(ancestor)!.branchLabels) labels.add(label);
    return labels;
  }

  /**
   * Revisions from the heads down to the bases, in `alembic history` order: a port of
   * RevisionMap._topological_sort over everything reachable from the real heads.
   */
  history(): string[] {
    const heads = this.realHeads;
    const todo = new Set(this.ancestors(heads, true));
    const order = [...this.revisions.keys()];
    const position = new Map(order.map((id, i) => [id, i]));
    const current = heads.filter((h) => todo.has(h)).sort((a, b) => position.get(a)! - position.get(b)!);
    const ancestorsOf = current.map((h) => new Set(this.ancestors([h], true)));
    const output: string[] = [];
    let index = 0;
    while (current.length) {
      const candidate = current[index];
      const blocker = ancestorsOf.findIndex((ancestors, i) => i !== index && ancestors.has(candidate));
      if (blocker !== -1) {
        // Another head still needs this revision: walk that head first.
        index = blocker;
        continue;
      }
      if (todo.delete(candidate)) output.push(candidate);
      const revision = this.revisions.get(candidate)!;
      const next = this.normalizedDownRevisions(revision).filter((r) => todo.has(r) && !current.includes(r));
      if (!next.length) {
        current.splice(index, 1);
        ancestorsOf.splice(index, 1);
        index = Math.max(index - 1, 0);
      } else if (!revision.normalizedDependencies.length && revision.downRevisions.length === 1) {
        current[index] = next[0];
        ancestorsOf[index].delete(candidate);
      } else {
        current[index] = next[0];
        current.push(...next.slice(1));
        ancestorsOf[index] = new Set(this.ancestors([next[0]], true));
        ancestorsOf.push(...next.slice(1).map((h) => new Set(this.ancestors([h], true))));
      }
    }
    return output;
  }

  /** `ids` and everything below them (through depends_on too when `withDependencies`). */
  ancestors(ids: string[], withDependencies: boolean): string[] {
    const seen = new Set<string>();
    const result: string[] = [];
    const stack = [...ids].reverse();
    while (stack.length) {
      const id = stack.pop()!;
      const revision = this.revisions.get(id);
      if (!revision || seen.has(id)) continue;
      seen.add(id);
      result.push(id);
      const parents = withDependencies ? this.normalizedDownRevisions(revision) : revision.downRevisions;
      for (const parent of parents) if (this.revisions.has(parent) && !this.cyclic.has(parent)) stack.push(parent);
    }
    return result;
  }

  private normalizedDownRevisions(revision: Revision): string[] {
    return dedupe([...revision.downRevisions, ...revision.normalizedDependencies]).filter((id) => this.revisions.has(id));
  }

  /** Drops dependencies some ancestor already depends on (Alembic's _normalize_depends_on). */
  private normalizeDependencies(revision: Revision): string[] {
    if (!revision.dependencies.length) return [];
    const normalized = new Set(revision.dependencies);
    for (const ancestor of this.ancestors([revision.id], false)) {
      if (ancestor === revision.id) continue;
      for (const dependency of this.revisions.get(ancestor)!.dependencies) normalized.delete(dependency);
    }
    return [...normalized];
  }

  /** Tarjan's strongly connected components, iteratively: a 10,000-revision chain must not overflow the stack. */
  private findCycles(): void {
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const onStack = new Set<string>();
    const stack: string[] = [];
    let counter = 0;
    const parentsOf = (id: string) => {
      const revision = this.revisions.get(id)!;
      return dedupe([...revision.downRevisions, ...revision.dependencies]).filter((p) => this.revisions.has(p));
    };
    for (const start of this.revisions.keys()) {
      if (index.has(start)) continue;
      const work: { id: string; next: number }[] = [{ id: start, next: 0 }];
      index.set(start, counter);
      low.set(start, counter++);
      stack.push(start);
      onStack.add(start);
      while (work.length) {
        const frame = work[work.length - 1];
        const parents = parentsOf(frame.id);
        if (frame.next < parents.length) {
          const parent = parents[frame.next++];
          if (!index.has(parent)) {
            index.set(parent, counter);
            low.set(parent, counter++);
            stack.push(parent);
            onStack.add(parent);
            work.push({ id: parent, next: 0 });
          } else if (onStack.has(parent)) {
            low.set(frame.id, Math.min(low.get(frame.id)!, index.get(parent)!));
          }
          continue;
        }
        work.pop();
        if (work.length) {
          const caller = work[work.length - 1].id;
          low.set(caller, Math.min(low.get(caller)!, low.get(frame.id)!));
        }
        if (low.get(frame.id) === index.get(frame.id)) {
          const component: string[] = [];
          let member: string;
          do {
            member = stack.pop()!;
            onStack.delete(member);
            component.push(member);
          } while (member !== frame.id);
          const selfLoop = component.length === 1 && parentsOf(component[0]).includes(component[0]);
          if (component.length > 1 || selfLoop) component.forEach((id) => this.cyclic.add(id));
        }
      }
    }
  }
}

function tuple(value: unknown): string[] {
  if (typeof value === 'string') return value ? [value] : [];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function dedupe(items: string[]): string[] {
  return [...new Set(items)];
}
