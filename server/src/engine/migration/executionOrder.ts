import type { Span } from '../python/syntax';
import type { HelperCall } from './migrationFile';

/** Larger than any file's length: a helper's own positions become a fraction of one character. */
const WITHIN_CALL = 1e8;

/**
 * Where a call runs in its phase, as an offset to compare with others: its own position in
 * upgrade(), or, inside a helper of the module, the position of the call to the helper (and,
 * among the helper's calls, their order in the helper).
 */
export function runsAt(item: { callSpan: Span; via?: HelperCall[] }): number {
  return item.via?.length ? item.via[0].callSpan.start + item.callSpan.start / WITHIN_CALL : item.callSpan.start;
}
