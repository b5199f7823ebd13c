import * as path from 'path';
import type { MigrationFile } from '../migration/migrationFile';
import type { AlembicProject } from './alembicProject';

/**
 * The expand/contract convention (OpenStack and others): revisions on the `expand` branch only
 * add what the next release needs, so old and new code both run while it rolls out; revisions
 * on the `contract` branch remove what no running release reads any more, once it has rolled out.
 */
export type RolloutBranch = 'expand' | 'contract';

const branches = new WeakMap<AlembicProject, Map<string, Set<RolloutBranch>>>();

/**
 * The rollout branch a revision is on: its own branch label, written as `"expand"` or as a
 * constant named `EXPAND_BRANCH` (likewise for contract), or its folder (`versions/…/expand/`);
 * else the label of its ancestors along `down_revision` (a branch label names the whole branch,
 * while `depends_on` only orders it after the other one). Unknown where both appear.
 */
export function rolloutBranchOf(project: AlembicProject, migration: MigrationFile): RolloutBranch | undefined {
  const revision = project.graph.revisionOf(migration);
  const kinds = revision ? branchesOf(project).get(revision.id) : undefined;
  if (!kinds) return ownBranch(migration);
  return kinds.size === 1 ? [...kinds][0] : undefined;
}

/** Every revision's rollout branches, parents first, each computed once. */
function branchesOf(project: AlembicProject): Map<string, Set<RolloutBranch>> {
  let known = branches.get(project);
  if (known) return known;
  known = new Map();
  for (const id of [...project.graph.history()].reverse()) {
    const revision = project.graph.get(id)!;
    const kinds = new Set<RolloutBranch>();
    const own = ownBranch(revision.migration);
    if (own) kinds.add(own);
    for (const parent of revision.downRevisions) for (const kind of known.get(parent) ?? []) kinds.add(kind);
    known.set(id, kinds);
  }
  branches.set(project, known);
  return known;
}

function ownBranch(migration: MigrationFile): RolloutBranch | undefined {
  const labels = migration.branchLabels;
  const named = [...(labels?.strings.map((s) => s.value) ?? []), ...(labels?.names.map((n) => n.split('.').pop()!) ?? [])];
  const kinds = new Set<RolloutBranch>();
  for (const label of named) {
    if (/^(expand)(_branch)?$/i.test(label)) kinds.add('expand');
    if (/^(contract)(_branch)?$/i.test(label)) kinds.add('contract');
  }
  const folder = path.basename(path.dirname(migration.path)).toLowerCase();
  if (folder === 'expand' || folder === 'contract') kinds.add(folder);
  return kinds.size === 1 ? [...kinds][0] : undefined;
}
