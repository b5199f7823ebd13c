import type { AlembicProject } from '../project/alembicProject';
import type { MigrationFile } from '../migration/migrationFile';
import { readSql } from '../sql/sqlStatements';

export interface TableEvent {
  migration: MigrationFile;
  revision: string;
  what: 'created' | 'altered' | 'renamed' | 'dropped';
}

const ALTERING = new Set(['add_column', 'drop_column', 'alter_column', 'create_index', 'drop_index', 'create_unique_constraint', 'create_foreign_key', 'create_primary_key', 'create_check_constraint', 'drop_constraint', 'batch_alter_table']);

/** What the chain's upgrades did to a table, from base to heads (Alembic's order). */
export function tableHistory(project: AlembicProject, table: string): TableEvent[] {
  const events: TableEvent[] = [];
  for (const id of [...project.graph.history()].reverse()) {
    const migration = project.graph.get(id)!.migration;
    const seen = new Set<TableEvent['what']>();
    const record = (what: TableEvent['what']) => seen.add(what);
    for (const op of migration.ops) {
      if (op.phase !== 'upgrade') continue;
      if (op.name === 'create_table' && op.table === table) record('created');
      else if (op.name === 'drop_table' && op.table === table) record('dropped');
      else if (op.name === 'rename_table' && (op.table === table || op.arguments.get('new_table_name')?.value === table)) record('renamed');
      else if (ALTERING.has(op.name) && op.table === table) record('altered');
    }
    for (const sql of migration.sql) {
      if (sql.phase !== 'upgrade') continue;
      for (const effect of readSql(sql.sql).effects) {
        if (effect.kind === 'create_table' && effect.table === table) record('created');
        if (effect.kind === 'drop_table' && effect.tables.includes(table)) record('dropped');
        if (effect.kind === 'drop_column' && effect.table === table) record('altered');
      }
    }
    // Creating or dropping a table in a migration subsumes altering it there (its indexes go with it).
    if (seen.has('created') || seen.has('dropped')) seen.delete('altered');
    for (const what of ['created', 'renamed', 'altered', 'dropped'] as const) if (seen.has(what)) events.push({ migration, revision: id, what });
  }
  return events;
}
