import type { AlembicProject } from '../project/alembicProject';
import type { MigrationFile } from '../migration/migrationFile';
import { upgradeTableEffects } from '../migration/tableEffects';

export interface TableEvent {
  migration: MigrationFile;
  revision: string;
  what: 'created' | 'altered' | 'renamed' | 'dropped';
}

/** What the chain's upgrades did to a table, from base to heads (Alembic's order). */
export function tableHistory(project: AlembicProject, table: string): TableEvent[] {
  const events: TableEvent[] = [];
  for (const id of [...project.graph.history()].reverse()) {
    const migration = project.graph.get(id)!.migration;
    const seen = new Set<TableEvent['what']>();
    for (const effect of upgradeTableEffects(migration)) {
      if (effect.kind === 'create' && effect.table === table) seen.add('created');
      if (effect.kind === 'drop' && effect.table === table) seen.add('dropped');
      if (effect.kind === 'rename' && (effect.table === table || effect.newName === table)) seen.add('renamed');
      if (effect.kind === 'alter' && effect.table === table) seen.add('altered');
    }
    // Creating or dropping a table in a migration subsumes altering it there (its indexes go with it).
    if (seen.has('created') || seen.has('dropped')) seen.delete('altered');
    for (const what of ['created', 'renamed', 'altered', 'dropped'] as const) if (seen.has(what)) events.push({ migration, revision: id, what });
  }
  return events;
}
