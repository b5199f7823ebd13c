/**
 * Offsets in the facts read from a statement are named `start`/`end` (every Span) or
 * `lastArgumentEnd`/`insertAt` (where a fix inserts text). Nothing else numeric is an offset.
 */
const OFFSET_FIELDS = new Set(['start', 'end', 'lastArgumentEnd', 'insertAt']);

/**
 * A deep copy of facts read from a statement, every offset moved by `delta`: the statement is
 * unchanged but sits elsewhere after an edit above it. Shared objects stay shared in the copy
 * (a block's sibling list, the op a SQL string belongs to); `copies` maps each original to
 * its copy.
 */
export function shiftedCopy<T>(value: T, delta: number, copies: Map<object, object>): T {
  if (value === null || typeof value !== 'object') return value;
  const known = copies.get(value);
  if (known) return known as T;
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    copies.set(value, copy);
    for (let i = 0; i < value.length; i++) copy[i] = shiftedCopy(value[i], delta, copies);
    return copy as T;
  }
  if (value instanceof Map) {
    const copy = new Map();
    copies.set(value, copy);
    for (const [key, item] of value) copy.set(key, shiftedCopy(item, delta, copies));
    return copy as T;
  }
  const copy: Record<string, unknown> = {};
  copies.set(value, copy);
  const source = value as Record<string, unknown>;
  for (const key in source) {
    const item = source[key];
    copy[key] = typeof item === 'number' ? (OFFSET_FIELDS.has(key) ? item + delta : item) : typeof item === 'object' ? shiftedCopy(item, delta, copies) : item;
  }
  return copy as T;
}
