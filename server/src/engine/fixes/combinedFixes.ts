import type { FileEdit, Finding, Fix, TextEdit } from '../analysis/finding';
import type { Range } from '../text/sourceText';

/** A fix that can be applied without anyone reading it: it cannot lose data, and asks nothing. */
export function isSafeFix(fix: Fix): boolean {
  return !!fix.preferred && !fix.cursor;
}

/**
 * The fix each finding would get, all at once: for each finding the first fix `pick` accepts,
 * skipped when one of its edits touches text another chosen fix already edits (the next pass,
 * on the new text, may take it). A fix that asks for typing (an ignore's reason) is never picked.
 */
export function combinedFixes(findings: Finding[], pick: (fix: Fix) => boolean): { applied: { finding: Finding; fix: Fix }[]; edits: FileEdit[] } {
  const taken = new Map<string, { edits: TextEdit[]; create: boolean }>();
  const applied: { finding: Finding; fix: Fix }[] = [];
  for (const finding of findings) {
    const fix = finding.fixes.find((f) => !f.cursor && pick(f));
    if (!fix) continue;
    const clashes = fix.edits.some((fileEdit) => (taken.get(fileEdit.file)?.edits ?? []).some((done) => fileEdit.edits.some((edit) => touches(done.range, edit.range))));
    // Two fixes that both create or rewrite a whole file cannot be merged.
    const creates = fix.edits.some((fileEdit) => fileEdit.create && taken.has(fileEdit.file));
    if (clashes || creates) continue;
    for (const fileEdit of fix.edits) {
      const entry = taken.get(fileEdit.file) ?? { edits: [], create: false };
      entry.edits.push(...fileEdit.edits);
      entry.create ||= !!fileEdit.create;
      taken.set(fileEdit.file, entry);
    }
    applied.push({ finding, fix });
  }
  return { applied, edits: [...taken].map(([file, { edits, create }]) => ({ file, edits, ...(create ? { create } : {}) })) };
}

/** Overlapping, or inserting at the same place (whose order would be a guess). */
function touches(a: Range, b: Range): boolean {
  const before = (x: Range['start'], y: Range['start']) => x.line < y.line || (x.line === y.line && x.character < y.character);
  const same = (x: Range['start'], y: Range['start']) => x.line === y.line && x.character === y.character;
  if (same(a.start, b.start)) return true;
  return before(a.start, b.end) && before(b.start, a.end);
}
