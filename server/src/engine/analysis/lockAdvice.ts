import type { Report } from './finding';
import type { MigrationFile } from '../migration/migrationFile';
import { upgradeMaySkipItself } from './conditionalUpgrade';
import type { AlembicProject } from '../project/alembicProject';
import { deployModeOf } from '../project/deployMode';

/**
 * A lock or rewrite finding as the project's deployment makes it: a warning where migrations run
 * under live traffic, information where they run with the application stopped, saying which and
 * how to change it. Nothing for an upgrade that may skip itself: whether it ever runs against the
 * live tables, the engine cannot know.
 */
export function asLockAdvice(project: AlembicProject, migration: MigrationFile, report: Report): Report[] {
  if (upgradeMaySkipItself(migration)) return [];
  const deploy = deployModeOf(project);
  if (deploy.mode === 'online') return [report];
  const how = deploy.configured ? '' : '; set deploy = "online" in [tool.alembic-guard] if migrations run while the application serves';
  return [{ ...report, severity: 'info', message: `${report.message} (information only: ${deploy.why}${how})` }];
}
