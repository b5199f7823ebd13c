import type { HelperCall } from './migrationFile';

/**
 * What a name inside a helper stands for in the phase function that called it: a parameter is
 * replaced by the argument its caller passed, through each helper of the chain, innermost first
 * (`op.bulk_insert(az_table, rows)` in a helper called as `fill(conn, availability_zones)`).
 */
export function boundInCaller(name: string, via: HelperCall[] | undefined): string {
  let text = name;
  for (let i = (via?.length ?? 0) - 1; i >= 0; i--) {
    const argument = via![i].arguments.get(text);
    if (argument === undefined) break;
    text = argument;
    if (!/^\w+$/.test(text)) break;
  }
  return text;
}
