import type { SqlString } from '../migration/migrationFile';
import { readSql, SqlEffect } from '../sql/sqlStatements';

/**
 * What a SQL string a migration runs does to the schema and the data: PostgreSQL's parser reads
 * it once (readings are remembered by text), and every rule and the replay ask here.
 */
export function effectsOf(sql: SqlString): SqlEffect[] {
  const effects = readSql(sql.sql).effects;
  return sql.dynamic ? effects.map((effect) => withDynamicNames(effect, sql.dynamic!)) : effects;
}

/** Whether PostgreSQL's parser accepted the SQL (else only unambiguous keywords were read). */
export function wasParsed(sql: SqlString): boolean {
  return readSql(sql.sql).parsed;
}

/** Effects whose names the schema does not hang on: they keep their kind with a name unknown. */
const NAME_TOLERANT_EFFECTS = new Set<SqlEffect['kind']>(['update', 'insert', 'delete', 'alter_type_add_value', 'other']);

/**
 * An effect of SQL put together at run time. A data change (or an enum value) keeps its kind,
 * with the unknown name written as the code that makes it (`UPDATE {table}`); a change to a
 * table, column, index or constraint whose name the engine cannot know is unknown as a whole.
 */
function withDynamicNames(effect: SqlEffect, dynamic: Map<string, string>): SqlEffect {
  const names = JSON.stringify(effect);
  const placeholders = [...dynamic.keys()].filter((p) => names.includes(p));
  if (!placeholders.length) return effect;
  if (!NAME_TOLERANT_EFFECTS.has(effect.kind)) return { kind: 'other', statement: 'DYNAMIC' };
  let text = names;
  for (const placeholder of placeholders) text = text.split(placeholder).join(dynamic.get(placeholder)!.replace(/["\\]/g, ''));
  return JSON.parse(text) as SqlEffect;
}

/** A name in SQL put together at run time, written as the code that makes it (`{table}`). */
export function isRunTimeName(name: string): boolean {
  return name.includes('{');
}
