/**
 * A column type reduced to what decides whether changing it rewrites the table or can fail:
 * its family and its length, precision and scale. Read from SQLAlchemy source
 * (`sa.String(length=50)`, `postgresql.JSONB()`) or from PostgreSQL's names (`varchar(50)`, `int8`).
 */
export interface ColumnType {
  family: TypeFamily;
  /** Characters for strings; undefined: unbounded. */
  length: number | undefined;
  precision: number | undefined;
  scale: number | undefined;
  /** An enum's values, when written literally. */
  values: string[] | undefined;
}

type TypeFamily =
  | 'varchar'
  | 'char'
  | 'text'
  | 'smallint'
  | 'integer'
  | 'bigint'
  | 'numeric'
  | 'float'
  | 'boolean'
  | 'date'
  | 'timestamp'
  | 'timestamptz'
  | 'time'
  | 'interval'
  | 'json'
  | 'jsonb'
  | 'uuid'
  | 'enum'
  | 'binary'
  | 'other';

const FAMILIES: [RegExp, TypeFamily][] = [
  [/^(string|varchar|unicode|nvarchar|character varying|citext)$/, 'varchar'],
  [/^(char|nchar|bpchar|character)$/, 'char'],
  [/^(text|unicodetext|clob|tinytext|mediumtext|longtext)$/, 'text'],
  [/^(smallinteger|smallint|int2|tinyint)$/, 'smallint'],
  [/^(integer|int|int4|mediumint)$/, 'integer'],
  [/^(biginteger|bigint|int8)$/, 'bigint'],
  [/^(numeric|decimal)$/, 'numeric'],
  [/^(float|real|double|double_precision|float4|float8)$/, 'float'],
  [/^(boolean|bool)$/, 'boolean'],
  [/^date$/, 'date'],
  [/^(time)$/, 'time'],
  [/^(interval)$/, 'interval'],
  [/^(json)$/, 'json'],
  [/^(jsonb)$/, 'jsonb'],
  [/^(uuid)$/, 'uuid'],
  [/^(enum)$/, 'enum'],
  [/^(largebinary|binary|varbinary|bytea|blob|longblob|mediumblob)$/, 'binary'],
];

export function readColumnType(source: string | undefined): ColumnType | undefined {
  if (!source) return undefined;
  const text = source.trim();
  // `sa.String(length=50)`, `mysql.VARCHAR(36)`, `varchar(50)`, `timestamptz`, `sa.ARRAY(sa.String())`.
  const match = /^(?:[\w]+\.)*([A-Za-z_][\w ]*?)\s*(?:\((.*)\))?$/s.exec(text);
  if (!match) return undefined;
  const name = match[1].toLowerCase();
  const args = match[2] ?? '';
  const keyword = (key: string) => new RegExp(`\\b${key}\\s*=\\s*(\\d+)`).exec(args)?.[1];
  const positionalNumbers = args
    .split(',')
    .map((a) => a.trim())
    .filter((a) => /^\d+$/.test(a))
    .map(Number);
  const timezone = /\btimezone\s*=\s*True\b/.test(args);
  let family: TypeFamily = 'other';
  if (name === 'datetime' || name === 'timestamp') family = timezone ? 'timestamptz' : 'timestamp';
  else if (name === 'timestamptz' || name === 'timestamp with time zone') family = 'timestamptz';
  else for (const [pattern, f] of FAMILIES) if (pattern.test(name)) family = f;
  if (family === 'other' && args === '' && !/\(/.test(text)) return { family, length: undefined, precision: undefined, scale: undefined, values: undefined };
  const length = keyword('length') ?? (family === 'varchar' || family === 'char' ? positionalNumbers[0] : undefined);
  const precision = keyword('precision') ?? (family === 'numeric' ? positionalNumbers[0] : undefined);
  const scale = keyword('scale') ?? (family === 'numeric' ? positionalNumbers[1] : undefined);
  const values = family === 'enum' ? [...args.matchAll(/(?:^|,)\s*(['"])(.*?)\1(?=\s*(?:,|$))/g)].map((m) => m[2]) : undefined;
  return {
    family,
    length: length === undefined ? undefined : Number(length),
    precision: precision === undefined ? undefined : Number(precision),
    scale: scale === undefined ? undefined : Number(scale),
    values,
  };
}

export type TypeChange =
  /** The same type written another way (`Unicode(50)` → `String(50)`). */
  | 'same'
  /** Binary-coercible on PostgreSQL: no rewrite (`varchar(n)` → `varchar(m ≥ n)`, → `text`). */
  | 'no-rewrite'
  /** A cast that can fail on existing rows (text → integer, a shorter length, bigint → integer). */
  | 'may-fail'
  /** The table and its indexes are rewritten. */
  | 'rewrite';

const STRINGS = new Set<TypeFamily>(['varchar', 'text']);
const INTEGERS: TypeFamily[] = ['smallint', 'integer', 'bigint'];
const STRICT_TARGETS = new Set<TypeFamily>(['smallint', 'integer', 'bigint', 'numeric', 'float', 'boolean', 'date', 'timestamp', 'timestamptz', 'time', 'json', 'jsonb', 'uuid', 'enum', 'interval']);

/** What changing a column from `from` to `to` costs on PostgreSQL. */
export function classifyTypeChange(from: ColumnType, to: ColumnType): TypeChange {
  if (from.family === 'other' || to.family === 'other') return 'rewrite';
  if (from.family === to.family) {
    if (from.family === 'varchar' || from.family === 'char') {
      if (from.length === to.length) return 'same';
      if (to.length === undefined || (from.length !== undefined && to.length > from.length)) return from.family === 'varchar' ? 'no-rewrite' : 'rewrite';
      return 'may-fail';
    }
    if (from.family === 'numeric') {
      if (from.precision === to.precision && from.scale === to.scale) return 'same';
      if (to.precision === undefined) return 'no-rewrite';
      if (from.precision !== undefined && to.precision >= from.precision && (from.scale ?? 0) === (to.scale ?? 0)) return 'no-rewrite';
      return 'may-fail';
    }
    if (from.family === 'enum') {
      // Values added to a MySQL ENUM change only the table's definition; on PostgreSQL values are added with ALTER TYPE.
      if (from.values && to.values && from.values.every((v) => to.values!.includes(v))) return from.values.length === to.values.length ? 'same' : 'no-rewrite';
      return 'may-fail';
    }
    return 'same';
  }
  if (STRINGS.has(from.family) && STRINGS.has(to.family)) {
    // varchar(n) → text and text → varchar (unbounded) are binary coercible; text → varchar(n) may truncate-fail.
    if (to.family === 'text' || to.length === undefined) return 'no-rewrite';
    return 'may-fail';
  }
  const fromInteger = INTEGERS.indexOf(from.family);
  const toInteger = INTEGERS.indexOf(to.family);
  if (fromInteger >= 0 && toInteger >= 0) return toInteger > fromInteger ? 'rewrite' : 'may-fail';
  if ((STRINGS.has(from.family) || from.family === 'char') && STRICT_TARGETS.has(to.family)) return 'may-fail';
  if (from.family === 'timestamp' && to.family === 'timestamptz') return 'rewrite';
  if (from.family === 'json' && to.family === 'jsonb') return 'rewrite';
  return 'rewrite';
}

/**
 * The same judgement on MySQL (InnoDB): a VARCHAR that grows within the same length-prefix size
 * (up to 255 bytes, or past it on both sides; utf8mb4 counts 4 bytes a character) and ENUM
 * values appended are changed in place; every other type change copies the whole table while
 * writes wait. A cast that can fail still can (or truncates, outside strict mode).
 */
export function classifyTypeChangeOnMySql(from: ColumnType, to: ColumnType): TypeChange {
  const onPostgres = classifyTypeChange(from, to);
  if (onPostgres === 'same' || onPostgres === 'may-fail') return onPostgres;
  if (from.family === 'varchar' && to.family === 'varchar' && from.length !== undefined && to.length !== undefined && to.length >= from.length) {
    const prefixBytes = (length: number) => (length * 4 > 255 ? 2 : 1);
    return prefixBytes(from.length) === prefixBytes(to.length) ? 'no-rewrite' : 'rewrite';
  }
  if (from.family === 'enum' && to.family === 'enum') return onPostgres;
  return 'rewrite';
}
