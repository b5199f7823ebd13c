import type { ConstraintKind } from './schemaState';

/** PostgreSQL cuts identifiers at 63 bytes. */
const MAX_IDENTIFIER = 63;

/**
 * The names an index or constraint created without one may have: PostgreSQL's defaults
 * (`<table>_pkey`, `<table>_<cols>_key`, `_fkey`, `_check`, `_idx`), SQLAlchemy's `index=True`
 * (`ix_<table>_<col>`), MySQL's foreign keys (`<table>_ibfk_<n>`, n-th of the table) and the naming conventions
 * Alembic's documentation recommends (`uq_<table>_<col>`, `fk_<table>_<col>_<referred>`…). A drop
 * that names one of these finds the object.
 */
export function defaultNames(kind: ConstraintKind | 'index', table: string, columns: string[], referredTable?: string, foreignKeyOrdinal?: number): string[] {
  const cols = columns.join('_');
  const first = columns[0] ?? '';
  const names: string[] = [];
  switch (kind) {
    case 'primary_key':
      names.push(`${table}_pkey`, `pk_${table}`, 'PRIMARY');
      break;
    case 'unique':
      names.push(`${table}_${cols}_key`, `uq_${table}_${cols}`, `uq_${table}_${first}`, `${table}_${first}_key`, `ix_${table}_${first}`, cols, first);
      break;
    case 'foreign_key':
      names.push(`${table}_${cols}_fkey`, `fk_${table}_${first}_${referredTable ?? ''}`, `fk_${table}_${cols}_${referredTable ?? ''}`, `${table}_${first}_fkey`);
      // MySQL numbers a table's foreign keys in the order they were created.
      if (foreignKeyOrdinal !== undefined) names.push(`${table}_ibfk_${foreignKeyOrdinal}`);
      break;
    case 'check':
      names.push(`${table}_${first}_check`, `${table}_check`, `ck_${table}_${first}`);
      break;
    case 'index':
      names.push(`ix_${table}_${first}`, `ix_${table}_${cols}`, `${table}_${cols}_idx`, `ix_${first}`, first);
      break;
    case 'exclude':
      names.push(`${table}_${cols}_excl`);
      break;
  }
  return [...new Set(names.map((n) => n.slice(0, MAX_IDENTIFIER).toLowerCase()))];
}
