import type { Node } from 'web-tree-sitter';
import { callArguments, callParts, dottedName, literalValue, Span, spanOf } from '../python/syntax';
import { argumentValue } from './opArgumentValue';

/** A `ForeignKey(...)` of a column or a `ForeignKeyConstraint(...)` of a table, as written. */
export interface ForeignKeyDefinition {
  name: string | undefined;
  columns: string[];
  referredTable: string | undefined;
  referredSchema: string | undefined;
  referredColumns: string[];
  /** `use_alter=True`: `op.create_table` never emits it (only `metadata.create_all` does). */
  useAlter: boolean;
}

/** A `Column(...)` of `create_table` or `add_column`: its name, type and options as written. */
export interface ColumnDefinition {
  name: string;
  typeSource: string | undefined;
  options: Map<string, string>;
  foreignKeys: ForeignKeyDefinition[];
  /** Where a new keyword argument goes: just after the last argument of Column(...). */
  lastArgumentEnd: number;
  span: Span;
}

/** What one positional argument of `op.create_table(...)` adds to the table. */
export type TableElement =
  | { kind: 'column'; column: ColumnDefinition }
  | { kind: 'primary_key' | 'unique'; name: string | undefined; columns: string[] }
  /** `condition`: the check's SQL as written (a string literal, `sa.text(...)`); its columns are read against the table's. */
  | { kind: 'check'; name: string | undefined; columns: string[]; condition: string | undefined }
  | { kind: 'foreign_key'; foreignKey: ForeignKeyDefinition }
  | { kind: 'index'; name: string | undefined; columns: string[]; unique: boolean };

/** Text that can be a `Column(...)` call: others are not read further. */
const COLUMN_CALL = /^[\w.\s]*Column\s*\(/;
const CONSTRAINT_CALL = /^[\w.\s]*(PrimaryKeyConstraint|UniqueConstraint|CheckConstraint|ForeignKeyConstraint|Index)\s*\(/;

export function readColumnDefinition(node: Node): ColumnDefinition | undefined {
  if (!COLUMN_CALL.test(node.text) || node.type !== 'call' || !/(^|\.)Column$/.test(dottedName(callParts(node).callee) ?? '')) return undefined;
  const { positional, keywords } = callArguments(node);
  const name = literalValue(positional[0]);
  const list = callParts(node).list;
  if (typeof name !== 'string' || !list) return undefined;
  const argumentsInList = list.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  // The type is the first positional argument that is not a ForeignKey/Sequence/Identity/Computed.
  const rest = positional.slice(1);
  const typeNode = rest.find((p) => !/^[\w.\s]*(ForeignKey|Sequence|Identity|Computed)\s*\(/.test(p.text));
  const foreignKeys = rest.flatMap((p) => {
    const fk = readColumnForeignKey(p, name);
    return fk ? [fk] : [];
  });
  return {
    name,
    typeSource: typeNode?.text,
    options: new Map([...keywords].map(([key, value]) => [key, value.text])),
    foreignKeys,
    lastArgumentEnd: argumentsInList[argumentsInList.length - 1].endIndex,
    span: spanOf(node),
  };
}

/** `ForeignKey("parent.id", name=..., use_alter=...)` inside a column. */
function readColumnForeignKey(node: Node, column: string): ForeignKeyDefinition | undefined {
  if (node.type !== 'call' || !/(^|\.)ForeignKey$/.test(dottedName(callParts(node).callee) ?? '')) return undefined;
  const { positional, keywords } = callArguments(node);
  const target = literalValue(positional[0]);
  const [referredSchema, referredTable, referredColumn] = splitTarget(typeof target === 'string' ? target : undefined);
  return {
    name: stringOf(keywords.get('name')),
    columns: [column],
    referredTable,
    referredSchema,
    referredColumns: referredColumn ? [referredColumn] : [],
    useAlter: keywords.get('use_alter')?.type === 'true',
  };
}

/** `"schema.table.column"`, `"table.column"` → [schema, table, column]. */
function splitTarget(target: string | undefined): [string | undefined, string | undefined, string | undefined] {
  if (!target) return [undefined, undefined, undefined];
  const parts = target.split('.');
  if (parts.length >= 3) return [parts[parts.length - 3], parts[parts.length - 2], parts[parts.length - 1]];
  if (parts.length === 2) return [undefined, parts[0], parts[1]];
  return [undefined, undefined, undefined];
}

function stringOf(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  const value = argumentValue(node);
  return typeof value === 'string' ? value : undefined;
}

function stringsOf(nodes: (Node | undefined)[]): string[] {
  const out: string[] = [];
  for (const node of nodes) {
    const value = node ? literalValue(node) : undefined;
    if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) for (const item of value) if (typeof item === 'string') out.push(item);
  }
  return out;
}

/** One positional argument of `op.create_table(...)`: a column, a table constraint or an index. */
export function readTableElement(node: Node): TableElement | undefined {
  const column = readColumnDefinition(node);
  if (column) return { kind: 'column', column };
  const match = CONSTRAINT_CALL.exec(node.text);
  if (!match || node.type !== 'call') return undefined;
  const { positional, keywords } = callArguments(node);
  const name = stringOf(keywords.get('name'));
  switch (match[1]) {
    case 'PrimaryKeyConstraint':
      return { kind: 'primary_key', name, columns: stringsOf(positional) };
    case 'UniqueConstraint':
      return { kind: 'unique', name, columns: stringsOf(positional) };
    case 'CheckConstraint':
      return { kind: 'check', name, columns: [], condition: positional[0]?.text };
    case 'Index':
      return { kind: 'index', name: stringOf(positional[0]), columns: stringsOf(positional.slice(1)), unique: keywords.get('unique')?.type === 'true' };
    case 'ForeignKeyConstraint': {
      const targets = stringsOf([positional[1] ?? keywords.get('refcolumns')]).map(splitTarget);
      return {
        kind: 'foreign_key',
        foreignKey: {
          name,
          columns: stringsOf([positional[0] ?? keywords.get('columns')]),
          referredTable: targets[0]?.[1],
          referredSchema: targets[0]?.[0],
          referredColumns: targets.map((t) => t[2]).filter((c): c is string => !!c),
          useAlter: keywords.get('use_alter')?.type === 'true',
        },
      };
    }
    default:
      return undefined;
  }
}
