import { createHash } from 'crypto';
import type { TableObject } from './schemaState';

/** A MetaData's `naming_convention`: templates by kind (`ix`, `uq`, `ck`, `fk`, `pk`). */
export type NamingConvention = Partial<Record<'ix' | 'uq' | 'ck' | 'fk' | 'pk', string>>;

const KEYS = ['ix', 'uq', 'ck', 'fk', 'pk'] as const;

/**
 * The naming convention a project gives its MetaData (`MetaData(naming_convention={...})`, or a
 * dict assigned to a `naming_convention` name), read from its text: templates written as string
 * literals. Undefined when the project has none.
 */
export function readNamingConvention(text: string): NamingConvention | undefined {
  const at = text.search(/naming_convention\s*(=|:)/i);
  if (at < 0) return undefined;
  const open = text.indexOf('{', at);
  if (open < 0) return undefined;
  let depth = 0;
  let end = open;
  for (; end < text.length; end++) {
    if (text[end] === '{') depth++;
    if (text[end] === '}' && --depth === 0) break;
  }
  const body = text.slice(open, end + 1);
  const convention: NamingConvention = {};
  for (const key of KEYS) {
    const value = new RegExp(`["']${key}["']\\s*:\\s*(?:r|u)?["']([^"'\\n]+)["']`).exec(body)?.[1];
    if (value) convention[key] = value;
  }
  return Object.keys(convention).length ? convention : undefined;
}

const KIND_KEYS: Record<string, keyof NamingConvention> = { index: 'ix', unique: 'uq', check: 'ck', foreign_key: 'fk', primary_key: 'pk' };

/**
 * The name SQLAlchemy gives `object` under the convention: an unnamed one gets the template
 * filled in; a named one only when the template uses `%(constraint_name)s` (a name already passed
 * through `op.f()` is final and never comes here). Undefined when the template uses tokens it
 * cannot fill (a project's own callables) or there is no template for the kind.
 */
export function conventionName(convention: NamingConvention, object: Pick<TableObject, 'family' | 'kind' | 'name' | 'columns' | 'referredTable'>, table: string): string | undefined {
  const key = object.kind === 'index' && object.family === 'index' ? 'ix' : KIND_KEYS[object.kind];
  const template = key ? convention[key] : undefined;
  if (!template) return undefined;
  if (object.name && !template.includes('%(constraint_name)s')) return undefined;
  if (!object.name && template.includes('%(constraint_name)s')) return undefined;
  const columns = object.columns;
  const tokens: Record<string, string | undefined> = {
    table_name: table,
    constraint_name: object.name,
    referred_table_name: object.referredTable,
    column_0_name: columns[0],
    column_0_key: columns[0],
    column_0_label: columns[0] === undefined ? undefined : `${table}_${columns[0]}`,
    column_0N_name: columns.length ? columns.join('') : undefined,
    column_0_N_name: columns.length ? columns.join('_') : undefined,
    column_0N_label: columns.length ? columns.map((c) => `${table}_${c}`).join('') : undefined,
    column_0_N_label: columns.length ? columns.map((c) => `${table}_${c}`).join('_') : undefined,
    column_0N_key: columns.length ? columns.join('') : undefined,
    column_0_N_key: columns.length ? columns.join('_') : undefined,
  };
  let unknown = false;
  const name = template.replace(/%\((\w+)\)s/g, (_, token: string) => {
    const value = tokens[token];
    if (value === undefined) unknown = true;
    return value ?? '';
  });
  return unknown ? undefined : truncated(name);
}

/** PostgreSQL's 63-byte limit, cut as SQLAlchemy cuts a convention's name: 55 characters, `_`, and 4 hex digits of its MD5. */
function truncated(name: string): string {
  if (name.length <= 63) return name;
  return `${name.slice(0, 55)}_${createHash('md5').update(name).digest('hex').slice(-4)}`;
}
