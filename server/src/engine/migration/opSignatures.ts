/**
 * Positional parameter names of Alembic's operations (alembic.operations.ops), so that
 * `op.drop_index("ix", "t")` and `op.drop_index("ix", table_name="t")` read the same.
 * `batch_op.*` calls take the table from `batch_alter_table(...)` and drop `table_name`.
 */
const OP_PARAMETERS: Record<string, string[]> = {
  create_table: ['table_name'],
  drop_table: ['table_name'],
  rename_table: ['old_table_name', 'new_table_name'],
  add_column: ['table_name', 'column'],
  drop_column: ['table_name', 'column_name'],
  alter_column: ['table_name', 'column_name'],
  create_index: ['index_name', 'table_name', 'columns'],
  drop_index: ['index_name', 'table_name'],
  create_unique_constraint: ['constraint_name', 'table_name', 'columns'],
  create_primary_key: ['constraint_name', 'table_name', 'columns'],
  create_check_constraint: ['constraint_name', 'table_name', 'condition'],
  create_exclude_constraint: ['constraint_name', 'table_name'],
  create_foreign_key: ['constraint_name', 'source_table', 'referent_table', 'local_cols', 'remote_cols'],
  drop_constraint: ['constraint_name', 'table_name', 'type_'],
  create_table_comment: ['table_name', 'comment'],
  drop_table_comment: ['table_name'],
  execute: ['sqltext'],
  bulk_insert: ['table', 'rows'],
  batch_alter_table: ['table_name'],
};

const BATCH_PARAMETERS: Record<string, string[]> = {
  add_column: ['column'],
  drop_column: ['column_name'],
  alter_column: ['column_name'],
  create_index: ['index_name', 'columns'],
  drop_index: ['index_name'],
  create_unique_constraint: ['constraint_name', 'columns'],
  create_primary_key: ['constraint_name', 'columns'],
  create_check_constraint: ['constraint_name', 'condition'],
  create_exclude_constraint: ['constraint_name'],
  create_foreign_key: ['constraint_name', 'referent_table', 'local_cols', 'remote_cols'],
  drop_constraint: ['constraint_name', 'type_'],
  create_table_comment: ['comment'],
  drop_table_comment: [],
  execute: ['sqltext'],
};

/** Whether `name` is one of Alembic's schema operations (`create_table`, `add_column`, ...). */
export function isSchemaOperation(name: string): boolean {
  return name in OP_PARAMETERS && name !== 'execute' && name !== 'bulk_insert';
}

export function opParameters(name: string, batched: boolean): string[] {
  return (batched ? BATCH_PARAMETERS[name] : OP_PARAMETERS[name]) ?? [];
}

/** The parameter that names the table an operation acts on. */
export function tableParameter(name: string): string | undefined {
  switch (name) {
    case 'rename_table':
      return 'old_table_name';
    case 'create_foreign_key':
      return 'source_table';
    case 'execute':
      return undefined;
    case 'bulk_insert':
      return undefined;
    default:
      return (OP_PARAMETERS[name] ?? []).includes('table_name') ? 'table_name' : undefined;
  }
}
