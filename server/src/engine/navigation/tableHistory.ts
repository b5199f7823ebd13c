import type { AlembicProject } from '../project/alembicProject';
import type { MigrationFile } from '../migration/migrationFile';
import type { TableState } from '../schema/schemaState';

export interface TableEvent {
  migration: MigrationFile;
  revision: string;
  what: 'created' | 'altered' | 'renamed' | 'dropped';
}

/** What the chain's upgrades did to a table, from base to heads (Alembic's order), read from the schema replayed through it. */
export function tableHistory(project: AlembicProject, table: string): TableEvent[] {
  const events: TableEvent[] = [];
  for (const id of [...project.graph.history()].reverse()) {
    const step = project.schema.step(id);
    if (!step) continue;
    const migration = project.graph.get(id)!.migration;
    const before = step.before.table(table);
    const after = step.after.table(table);
    const renamed = step.upgrade.renamed.some((r) => r.from === table || r.to === table);
    let what: TableEvent['what'] | undefined;
    if (renamed) what = 'renamed';
    else if (!before && after) what = 'created';
    else if (before && !after) what = 'dropped';
    else if (before && after && before !== after) what = after.createdBy?.revision === id && before.createdBy !== after.createdBy ? 'created' : 'altered';
    else if (step.upgrade.dropped.some((d) => d.table.name === table && !d.column && !d.object)) what = 'dropped';
    if (what) events.push({ migration, revision: id, what });
  }
  return events;
}

/** A table's columns as a revision starts, one line each: `email varchar(120) NULL`. */
export function columnLines(table: TableState): string[] {
  return [...table.columns.values()].map((c) => `${c.name}${c.type ? ` ${c.type}` : ''}${c.primaryKey ? ' PRIMARY KEY' : c.nullable === false ? ' NOT NULL' : ''}`);
}
