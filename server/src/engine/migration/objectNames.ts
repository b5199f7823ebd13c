import type { OpCall } from './migrationFile';

/** The index or constraint name an operation creates (literal or `op.f(...)`), if literal. */
export function createdName(op: OpCall): string | undefined {
  const value = op.arguments.get(op.name === 'create_index' ? 'index_name' : 'constraint_name')?.value;
  return typeof value === 'string' ? value : undefined;
}

/** The index or constraint name a `drop_index`/`drop_constraint` removes, if literal. */
export function droppedName(op: OpCall): string | undefined {
  const value = op.arguments.get(op.name === 'drop_index' ? 'index_name' : 'constraint_name')?.value;
  return typeof value === 'string' ? value : undefined;
}
