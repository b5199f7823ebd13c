import type { AlembicProject } from './alembicProject';
import { rolloutBranchOf } from './rolloutBranch';

export interface DeployMode {
  mode: 'online' | 'offline';
  /** Why: the setting, or the evidence in the history (or its absence). */
  why: string;
  /** Said by `[tool.alembic-guard] deploy`, not inferred. */
  configured: boolean;
}

const modes = new WeakMap<AlembicProject, DeployMode>();

/** SQL that only a team migrating under live traffic writes. */
const ONLINE_SQL = /\b(CONCURRENTLY|lock_timeout|statement_timeout|NOT\s+VALID)\b/i;

/**
 * How the project's migrations reach the database: `deploy` in `[tool.alembic-guard]`, else the
 * history's own evidence. A project that already builds indexes concurrently, uses
 * `autocommit_block()`, sets `lock_timeout` or adds constraints `NOT VALID` migrates while its
 * application serves traffic ("online"): locks matter there. One that never does migrates with
 * the application stopped, as self-hosted and desktop-style tools do: lock advice is information.
 * env.py setting lock_timeout or statement_timeout for every migration is the same evidence.
 */
export function deployModeOf(project: AlembicProject): DeployMode {
  let known = modes.get(project);
  if (known) return known;
  if (project.guard.deploy) {
    known = { mode: project.guard.deploy, why: `deploy = "${project.guard.deploy}" in [tool.alembic-guard]`, configured: true };
  } else {
    known = { mode: 'offline', why: 'no revision of this project builds an index concurrently, uses autocommit_block(), sets lock_timeout or adds a constraint NOT VALID, so it is taken to migrate with the application stopped', configured: false };
    if (project.env?.setsLockTimeouts) {
      known = { mode: 'online', why: 'env.py sets lock_timeout or statement_timeout for every migration, so this project migrates while its application serves traffic', configured: false };
    }
    // An expand branch exists to change the schema while the previous release still serves.
    const expand = known.mode === 'online' ? undefined : project.migrations.find((m) => rolloutBranchOf(project, m) === 'expand');
    if (expand) {
      known = { mode: 'online', why: 'this project keeps an expand branch, whose revisions run while the previous release still serves', configured: false };
    }
    for (const migration of known.mode === 'online' ? [] : project.migrations) {
      const revision = migration.revision?.value;
      const where = typeof revision === 'string' ? `revision ${revision}` : migration.path;
      const concurrent = migration.ops.find((op) => op.arguments.get('postgresql_concurrently')?.text === 'True' || op.inAutocommit);
      const sql = migration.sql.find((s) => s.inAutocommit || ONLINE_SQL.test(s.sql));
      if (concurrent || sql) {
        known = { mode: 'online', why: `${where} ${concurrent ? 'builds an index concurrently' : 'takes care of locks in its SQL'}, so this project migrates while its application serves traffic`, configured: false };
        break;
      }
    }
  }
  modes.set(project, known);
  return known;
}
