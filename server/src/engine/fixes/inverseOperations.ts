import type { OpCall } from '../migration/migrationFile';
import type { CreatedObject } from '../project/alembicProject';

const CONSTRAINT_TYPES: Record<string, string> = {
  create_unique_constraint: 'unique',
  create_foreign_key: 'foreignkey',
  create_primary_key: 'primary',
  create_check_constraint: 'check',
};

/** Arguments that only describe the column's old state; a rename back keeps them. */
const DESCRIPTIVE_ALTER_ARGUMENTS = new Set(['table_name', 'column_name', 'new_column_name', 'schema', 'existing_type', 'existing_nullable', 'existing_server_default', 'existing_comment']);

/**
 * The statement that undoes one upgrade operation, written with the upgrade's own argument
 * text; undefined when no mechanical inverse exists (drops, data, batch blocks, SQL).
 */
export function inverseOf(op: OpCall, createdObjects: Map<string, CreatedObject>): string | undefined {
  if (op.batched) return undefined;
  const arg = (name: string) => op.arguments.get(name)?.text;
  const literal = (name: string) => typeof op.arguments.get(name)?.value === 'string';
  const schema = arg('schema') ? `, schema=${arg('schema')}` : '';
  // Write new strings in the quotes the migration already uses (autogenerate: single).
  const quote = (arg('table_name') ?? arg('source_table') ?? arg('old_table_name') ?? '"').trimStart().startsWith("'") ? "'" : '"';
  const str = (value: string) => `${quote}${value.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`)}${quote}`;
  switch (op.name) {
    case 'create_table':
      return literal('table_name') ? `op.drop_table(${arg('table_name')}${schema})` : undefined;
    case 'add_column':
      return literal('table_name') && op.columns.length === 1 ? `op.drop_column(${arg('table_name')}, ${str(op.columns[0])}${schema})` : undefined;
    case 'create_index':
      return literal('index_name') && literal('table_name') ? `op.drop_index(${arg('index_name')}, table_name=${arg('table_name')}${schema})` : undefined;
    case 'create_unique_constraint':
    case 'create_primary_key':
    case 'create_check_constraint':
    case 'create_foreign_key': {
      const table = op.name === 'create_foreign_key' ? 'source_table' : 'table_name';
      if (!literal('constraint_name') || !literal(table)) return undefined;
      return `op.drop_constraint(${arg('constraint_name')}, ${arg(table)}, type_=${str(CONSTRAINT_TYPES[op.name])}${schema})`;
    }
    case 'rename_table':
      return literal('old_table_name') && literal('new_table_name') ? `op.rename_table(${arg('new_table_name')}, ${arg('old_table_name')}${schema})` : undefined;
    case 'alter_column': {
      if (!literal('new_column_name') || !literal('table_name') || !literal('column_name')) return undefined;
      if ([...op.arguments.keys()].some((k) => !DESCRIPTIVE_ALTER_ARGUMENTS.has(k))) return undefined;
      return `op.alter_column(${arg('table_name')}, ${arg('new_column_name')}, new_column_name=${arg('column_name')}${schema})`;
    }
    case 'drop_index':
    case 'drop_constraint': {
      // The chain's own create of this index or constraint re-creates it exactly.
      const name = op.arguments.get(op.name === 'drop_index' ? 'index_name' : 'constraint_name')?.value;
      const created = typeof name === 'string' ? createdObjects.get(name) : undefined;
      return created && (created.table === undefined || op.table === undefined || created.table === op.table) ? created.createSource : undefined;
    }
    default:
      return undefined;
  }
}

/** Operations that leave the schema as it was; they need no inverse. */
export const NEUTRAL_OPERATIONS = new Set(['batch_alter_table', 'implementation_for', 'register_operation', 'invoke']);
