import type { Report } from './finding';
import type { MigrationFile } from '../migration/migrationFile';
import type { AlembicProject } from '../project/alembicProject';
import { rolloutBranchOf } from '../project/rolloutBranch';

/**
 * A drop as the project's rollout makes it: on the contract branch, removing what the previous
 * release used is what the revision is for, once every instance runs the new one; the finding
 * is information that says so. Elsewhere it is unchanged.
 */
export function asDropOnBranch(project: AlembicProject, migration: MigrationFile, report: Report): Report {
  if (rolloutBranchOf(project, migration) !== 'contract') return report;
  return { ...report, severity: 'info', message: `${report.message} (on the contract branch, where drops belong once no running release reads it)` };
}
