import type { SqlString } from '../migration/migrationFile';
import { readSql, SqlEffect } from '../sql/sqlStatements';

/**
 * What a SQL string a migration runs does to the schema and the data: PostgreSQL's parser reads
 * it once (readings are remembered by text), and every rule and the replay ask here.
 */
export function effectsOf(sql: SqlString): SqlEffect[] {
  return readSql(sql.sql).effects;
}

/** Whether PostgreSQL's parser accepted the SQL (else only unambiguous keywords were read). */
export function wasParsed(sql: SqlString): boolean {
  return readSql(sql.sql).parsed;
}
