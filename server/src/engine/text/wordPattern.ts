/** `text` as a literal inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A name as a whole word in SQL or Python text (`orders` in `public.orders`, not in `orders_archive`), any case. */
export function wordPattern(name: string): RegExp {
  return new RegExp(`(^|[^\\w])${escapeRegExp(name)}([^\\w]|$)`, 'i');
}
