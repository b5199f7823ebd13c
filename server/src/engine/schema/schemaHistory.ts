import type { NamingConvention } from './namingConvention';
import type { RevisionGraph } from '../graph/revisionGraph';
import type { MigrationFile } from '../migration/migrationFile';
import { PhaseReplay, replayPhase } from './replay';
import { SchemaState } from './schemaState';

/** A revision's upgrade: the state it starts from, the state it leaves, and what replaying it learned. */
export interface UpgradeStep {
  before: SchemaState;
  after: SchemaState;
  upgrade: PhaseReplay;
}

/** The upgrade followed by the downgrade: `afterDowngrade` should equal `before`. */
export interface RoundTrip extends UpgradeStep {
  afterDowngrade: SchemaState;
  downgrade: PhaseReplay;
}

/**
 * A revision's step, kept with the migration it was computed from (the same object as long as
 * the file's text is unchanged) and the parent states it started from: an edited migration, or
 * one whose ancestors changed, is replayed again; the others are reused across project snapshots.
 */
const steps = new WeakMap<MigrationFile, { parents: SchemaState[]; initial: SchemaState | undefined; step: UpgradeStep }>();

/** The two starting points, shared by every snapshot so that steps computed on one serve the next. Never written: revisions derive from them. */
const EMPTY_DATABASE = SchemaState.empty();
const UNKNOWN_DATABASE = SchemaState.empty();
UNKNOWN_DATABASE.closedWorld = false;

/**
 * The database schema before and after every revision, replayed from the bases through the
 * revision graph (down_revision and depends_on). The history starts from an empty database
 * unless some upgrade builds tables from the models' metadata (`create_all`): then it starts
 * from an unknown one, and a table no migration created is "pre-existing", never "unmanaged".
 */
export class SchemaHistory {
  private readonly initial: SchemaState;
  private lastTrip: { step: UpgradeStep; trip: RoundTrip } | undefined;
  /** Steps of this snapshot, checked against their parents once. */
  private readonly computed = new Map<string, UpgradeStep | undefined>();

  constructor(
    private readonly graph: RevisionGraph,
    startsFromUnknownSchema: boolean,
    /** The project's MetaData naming convention, which names what Alembic creates. */
    private readonly convention?: NamingConvention,
  ) {
    this.initial = startsFromUnknownSchema ? UNKNOWN_DATABASE : EMPTY_DATABASE;
  }

  /**
   * Whether the whole history is known from an empty database: no upgrade builds tables from
   * definitions it does not spell out, and none touches a table no earlier revision created.
   * Only then does "no migration created it" mean something.
   */
  get closedWorld(): boolean {
    if (this.closed === undefined) {
      this.closed = this.initial.closedWorld;
      for (const head of this.graph.heads) if (!this.after(head).closedWorld) this.closed = false;
    }
    return this.closed;
  }

  private closed: boolean | undefined;

  /** Whether every upgrade of the history could be read whole (no SQL in variables, no names in variables). */
  get fullyRead(): boolean {
    if (this.read === undefined) {
      this.read = true;
      for (const id of this.graph.revisions.keys()) {
        const step = this.step(id);
        if (step && (step.upgrade.opaque || step.upgrade.opaqueTables.size)) this.read = false;
      }
    }
    return this.read;
  }

  private read: boolean | undefined;

  /** The state when this revision's upgrade() starts. */
  before(revision: string): SchemaState {
    return this.step(revision)?.before ?? this.initial;
  }

  after(revision: string): SchemaState {
    return this.step(revision)?.after ?? this.initial;
  }

  step(revision: string): UpgradeStep | undefined {
    if (this.computed.has(revision)) return this.computed.get(revision);
    if (!this.graph.get(revision) || this.graph.cyclic.has(revision)) return undefined;
    for (const id of this.parentsFirst(revision)) this.computed.set(id, this.stepOf(id));
    return this.computed.get(revision);
  }

  /** The state after upgrade() then downgrade() of this revision. */
  roundTrip(revision: string): RoundTrip | undefined {
    const step = this.step(revision);
    const node = this.graph.get(revision);
    if (!step || !node) return undefined;
    // Rules ask for one migration's round trip one after another: only the latest is kept, the states it holds are not.
    if (this.lastTrip?.step !== step) {
      const afterDowngrade = step.after.derive();
      const downgrade = replayPhase(node.migration, 'downgrade', afterDowngrade, revision, this.convention);
      this.lastTrip = { step, trip: { ...step, afterDowngrade, downgrade } };
    }
    return this.lastTrip.trip;
  }

  /** This revision and its ancestors not computed yet, every parent before its children (iterative: deep chains must not recurse). */
  private parentsFirst(revision: string): string[] {
    const order: string[] = [];
    const done = new Set<string>();
    const expanding = new Set<string>();
    const stack: { id: string; expanded: boolean }[] = [{ id: revision, expanded: false }];
    while (stack.length) {
      const top = stack.pop()!;
      if (done.has(top.id) || this.computed.has(top.id)) continue;
      if (top.expanded) {
        done.add(top.id);
        order.push(top.id);
        continue;
      }
      // Seen again while its own parents are being visited: a cycle the graph did not mark.
      if (expanding.has(top.id)) continue;
      expanding.add(top.id);
      stack.push({ id: top.id, expanded: true });
      for (const parent of this.parentsOf(top.id)) if (!done.has(parent) && !this.computed.has(parent)) stack.push({ id: parent, expanded: false });
    }
    return order;
  }

  private parentsOf(id: string): string[] {
    const node = this.graph.get(id);
    if (!node) return [];
    return [...node.downRevisions, ...node.dependencies].filter((p) => this.graph.get(p) && !this.graph.cyclic.has(p));
  }

  private stepOf(id: string): UpgradeStep | undefined {
    const node = this.graph.get(id);
    if (!node || this.graph.cyclic.has(id)) return undefined;
    const parents = this.parentsOf(id).map((p) => this.computed.get(p)?.after ?? this.initial);
    const known = steps.get(node.migration);
    if (known && known.initial === this.initial && known.parents.length === parents.length && known.parents.every((p, i) => p === parents[i])) return known.step;
    const before = parents.length ? SchemaState.merged(parents) : this.initial;
    const after = before.derive();
    const upgrade = replayPhase(node.migration, 'upgrade', after, id, this.convention);
    const step = { before, after, upgrade };
    steps.set(node.migration, { parents, initial: this.initial, step });
    return step;
  }
}
