import type { SqlEffect } from '../sql/sqlStatements';

/**
 * The lock a parsed SQL statement takes on PostgreSQL, in the words of its documentation:
 * what the review shows for `op.execute(...)` instead of a shrug.
 */
export function sqlEffectLock(effect: SqlEffect): string {
  switch (effect.kind) {
    case 'create_table':
      return 'none on existing tables (a new table)';
    case 'create_index':
      return effect.concurrently ? 'SHARE UPDATE EXCLUSIVE: writes continue while the index is built' : 'SHARE: writes wait until the index is built';
    case 'add_constraint':
      if (effect.constraint.kind === 'foreign_key') return effect.constraint.notValid ? 'SHARE ROW EXCLUSIVE, brief (NOT VALID: no scan)' : 'SHARE ROW EXCLUSIVE on both tables; validates every row';
      return effect.constraint.kind === 'check' && effect.constraint.notValid ? 'ACCESS EXCLUSIVE, brief (NOT VALID: no scan)' : 'ACCESS EXCLUSIVE; checks every row (a unique or primary key builds its index)';
    case 'add_column':
      return 'ACCESS EXCLUSIVE (brief, unless a volatile default rewrites the table)';
    case 'alter_column_type':
      return 'ACCESS EXCLUSIVE; rewrites the table unless the types are binary-coercible';
    case 'set_not_null':
      return 'ACCESS EXCLUSIVE; scans the table';
    case 'drop_table':
    case 'truncate':
      return 'ACCESS EXCLUSIVE; every row is deleted';
    case 'drop_column':
      return "ACCESS EXCLUSIVE (brief); the column's values are lost";
    case 'drop_index':
      return 'ACCESS EXCLUSIVE on the table (brief)';
    case 'drop_not_null':
    case 'drop_constraint':
    case 'rename_column':
    case 'rename_table':
    case 'rename_index':
      return 'ACCESS EXCLUSIVE (brief)';
    case 'update':
    case 'delete':
    case 'insert':
      return 'ROW EXCLUSIVE; the rows written stay locked until the migration commits';
    case 'alter_type_add_value':
      return 'brief lock on the type';
    case 'drop_other':
      return 'ACCESS EXCLUSIVE on what is dropped';
    default:
      return `as ${effect.statement.replace(/Stmt.*$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase()} takes`;
  }
}
