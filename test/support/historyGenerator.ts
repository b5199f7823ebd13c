import { migrationFileName, migrationSource, MigrationSpec } from './migrationSource';

/** A small deterministic PRNG (mulberry32): the same seed writes the same history. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface HistoryShape {
  revisions: number;
  seed: number;
  /** Chance that a revision starts a branch from an older revision. */
  branching?: number;
  /** Chance that a revision merges two heads. */
  merging?: number;
  /** Independent labelled branches (their own base, `branch_labels`), some with depends_on into the main line. */
  labelledBranches?: number;
  /** Leave the heads unmerged at the end. */
  leaveHeads?: boolean;
}

export interface GeneratedMigration {
  fileName: string;
  text: string;
  spec: MigrationSpec;
}

/**
 * A revision history shaped like real projects': mostly linear, with branches that get
 * merged (tuple down_revision), labelled independent branches and depends_on.
 */
export function generateHistory(shape: HistoryShape): GeneratedMigration[] {
  const random = seededRandom(shape.seed);
  const id = () => Array.from({ length: 12 }, () => '0123456789abcdef'[Math.floor(random() * 16)]).join('');
  const specs: MigrationSpec[] = [];
  const heads: string[] = [];
  const all: string[] = [];
  const add = (spec: MigrationSpec, extra: { labels?: string; dependsOn?: string } = {}) => {
    specs.push({ ...spec, ...extra } as MigrationSpec);
    const parents = spec.downRevision === null ? [] : Array.isArray(spec.downRevision) ? spec.downRevision : [spec.downRevision];
    for (const p of parents) heads.splice(heads.indexOf(p), heads.indexOf(p) === -1 ? 0 : 1);
    heads.push(spec.revision);
    all.push(spec.revision);
  };
  const step = (n: number, downRevision: string | string[] | null): MigrationSpec => ({
    revision: id(),
    downRevision,
    message: `step ${n}`,
    upgrade: [`op.add_column('t${n % 17}', sa.Column('c${n}', sa.Integer(), nullable=True))`],
    downgrade: [`op.drop_column('t${n % 17}', 'c${n}')`],
  });
  add(step(0, null));
  for (let n = 1; n < shape.revisions; n++) {
    const roll = random();
    if (heads.length >= 2 && roll < (shape.merging ?? 0.05)) {
      const a = heads[Math.floor(random() * heads.length)];
      const b = heads.filter((h) => h !== a)[Math.floor(random() * (heads.length - 1))];
      add({ ...step(n, [a, b]), message: `merge ${a} and ${b}`, upgrade: [], downgrade: [] });
    } else if (roll < (shape.merging ?? 0.05) + (shape.branching ?? 0.05)) {
      add(step(n, all[Math.floor(random() * all.length)]));
    } else {
      add(step(n, heads[Math.floor(random() * heads.length)]));
    }
  }
  const mainLine = [...all];
  for (let b = 0; b < (shape.labelledBranches ?? 0); b++) {
    let parent: string | null = null;
    for (let n = 0; n < 5; n++) {
      const spec = step(shape.revisions + b * 10 + n, parent);
      const dependsOn = n === 2 ? mainLine[Math.floor(random() * mainLine.length)] : undefined;
      add(spec, { labels: n === 0 ? `plugin_${b}` : undefined, dependsOn });
      parent = spec.revision;
    }
  }
  if (!shape.leaveHeads) {
    // Merge everything unlabelled into one head, as `alembic merge heads` would.
    const unlabelled = heads.filter((h) => mainLine.includes(h));
    if (unlabelled.length > 1) add({ ...step(shape.revisions * 2, unlabelled), message: 'merge heads', upgrade: [], downgrade: [] });
  }
  return specs.map((spec) => {
    const extra = spec as MigrationSpec & { labels?: string; dependsOn?: string };
    let text = migrationSource(spec);
    if (extra.labels) text = text.replace(/^branch_labels: .*$/m, `branch_labels: Union[str, Sequence[str], None] = ('${extra.labels}',)`);
    if (extra.dependsOn) text = text.replace(/^depends_on: .*$/m, `depends_on: Union[str, Sequence[str], None] = '${extra.dependsOn}'`);
    return { fileName: migrationFileName(spec), text, spec };
  });
}
