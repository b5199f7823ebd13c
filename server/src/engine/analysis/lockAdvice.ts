import type { Report } from './finding';
import type { MigrationFile, OpCall } from '../migration/migrationFile';
import { runsAt } from '../migration/executionOrder';
import { createdInSameChange } from './sameChange';
import { newOrLockedInUpgrade } from './upgradeContext';
import { upgradeMaySkipItself } from './conditionalUpgrade';
import type { AlembicProject } from '../project/alembicProject';
import { deployModeOf } from '../project/deployMode';
import { rolloutBranchOf } from '../project/rolloutBranch';

/**
 * A lock or rewrite finding as the project's deployment makes it: a warning where migrations run
 * under live traffic, information where they run with the application stopped, saying which and
 * how to change it. Nothing for an upgrade that may skip itself: whether it ever runs against the
 * live tables, the engine cannot know.
 */
export function asLockAdvice(project: AlembicProject, migration: MigrationFile, report: Report): Report[] {
  if (upgradeMaySkipItself(migration)) return [];
  const deploy = deployModeOf(project);
  // The contract branch runs once no server of the previous release is left: its locks meet no traffic of that release.
  if (!deploy.configured && rolloutBranchOf(project, migration) === 'contract') {
    return [{ ...report, severity: 'info', message: `${report.message} (information only: on the contract branch, which runs once the previous release is stopped)` }];
  }
  if (deploy.mode === 'online') return [report];
  const how = deploy.configured ? '' : '; set deploy = "online" in [tool.alembic-guard] if migrations run while the application serves';
  return [{ ...report, severity: 'info', message: `${report.message} (information only: ${deploy.why}${how})` }];
}

/**
 * No lock advice applies to an operation on `table`: the table is new in this upgrade or was
 * already locked by it until commit, or an earlier revision of the same change created it (empty
 * wherever this migration runs; known where git may run).
 */
export function lockAdviceMoot(project: AlembicProject, migration: MigrationFile, op: OpCall, mayRunGit: boolean): boolean {
  if (!op.table) return false;
  return newOrLockedInUpgrade(migration, op.table, runsAt(op)) || createdInSameChange(project, migration, op.table, op.schema, mayRunGit);
}
