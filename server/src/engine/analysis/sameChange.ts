import * as path from 'path';
import type { MigrationFile } from '../migration/migrationFile';
import type { AlembicProject } from '../project/alembicProject';
import { commitsAddingFiles } from '../project/gitWorkTree';

const commitsOf = new WeakMap<AlembicProject, Map<string, string> | undefined>();

/**
 * Whether `table` was created by an earlier revision of the same change as this migration: both
 * revision files were added since the ref `--changed-since` names (the pull request's revisions),
 * came in one commit (a pull request squashed, or merged as one), or neither is committed yet.
 * Such a table is new and empty wherever this migration runs, as if the migration had created
 * it. The commits need git (a trusted workspace, or the command line); unknown otherwise.
 */
export function createdInSameChange(project: AlembicProject, migration: MigrationFile, table: string, schema: string | undefined, mayRunGit: boolean): boolean {
  const revision = project.graph.revisionOf(migration);
  const creator = revision ? project.schema.before(revision.id)?.table(table, schema)?.createdBy?.revision : undefined;
  const creatorFile = creator ? project.graph.get(creator)?.migration.path : undefined;
  if (!creatorFile || creatorFile === migration.path) return false;
  if (project.change?.has(migration.path) && project.change.has(creatorFile)) return true;
  if (!mayRunGit) return false;
  if (!commitsOf.has(project)) {
    const folders = [...new Set(project.migrations.map((m) => path.dirname(m.path)))];
    commitsOf.set(project, commitsAddingFiles(project.root, folders));
  }
  const commits = commitsOf.get(project);
  const mine = commits?.get(migration.path) ?? (commits ? '' : undefined);
  const theirs = commits?.get(creatorFile) ?? (commits ? '' : undefined);
  return mine !== undefined && mine === theirs;
}
