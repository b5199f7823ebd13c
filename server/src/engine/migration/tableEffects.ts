import { effectsOf } from '../schema/statementEffects';
import type { MigrationFile } from './migrationFile';

/** What one statement of upgrade() does to a table, from an `op.*` call or from raw SQL. */
export type TableEffect =
  | { kind: 'create'; table: string; columns: string[]; references: string[]; schema?: string }
  | { kind: 'drop'; table: string }
  | { kind: 'rename'; table: string | undefined; newName: string | undefined }
  | { kind: 'alter'; table: string };

const ALTERING = new Set(['add_column', 'drop_column', 'alter_column', 'create_index', 'drop_index', 'create_unique_constraint', 'create_foreign_key', 'create_primary_key', 'create_check_constraint', 'drop_constraint', 'batch_alter_table']);

/**
 * Everything upgrade() does to tables: its `op.*` calls in order, then the SQL it runs. The
 * chain's created tables, the table catalogue and the table history all read this.
 */
export function upgradeTableEffects(migration: MigrationFile): TableEffect[] {
  const effects: TableEffect[] = [];
  for (const op of migration.ops) {
    if (op.phase !== 'upgrade') continue;
    if (op.name === 'rename_table') {
      const newName = op.arguments.get('new_table_name')?.value;
      const renamed = typeof newName === 'string' ? newName : undefined;
      if (op.table || renamed) effects.push({ kind: 'rename', table: op.table || undefined, newName: renamed });
    } else if (!op.table) {
      continue;
    } else if (op.name === 'create_table') {
      effects.push({ kind: 'create', table: op.table, columns: op.columns, references: op.references, schema: op.schema });
    } else if (op.name === 'drop_table') {
      effects.push({ kind: 'drop', table: op.table });
    } else if (ALTERING.has(op.name)) {
      effects.push({ kind: 'alter', table: op.table });
    }
  }
  for (const sql of migration.sql) {
    if (sql.phase !== 'upgrade') continue;
    for (const effect of effectsOf(sql)) {
      if (effect.kind === 'create_table') effects.push({ kind: 'create', table: effect.table, columns: [], references: [] });
      if (effect.kind === 'drop_table') for (const table of effect.tables) effects.push({ kind: 'drop', table });
      if (effect.kind === 'rename_table') effects.push({ kind: 'rename', table: effect.table, newName: effect.newName });
      if (effect.kind === 'drop_column') effects.push({ kind: 'alter', table: effect.table });
    }
  }
  return effects;
}
