import type { TextEdit } from '../analysis/finding';
import { SourceText } from './sourceText';

/** Applies LSP-style edits to a text, as an editor would; overlapping edits are a bug. */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const source = new SourceText(text);
  const located = edits
    .map((edit) => ({ start: source.offsetAt(edit.range.start), end: source.offsetAt(edit.range.end), text: edit.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  for (let i = 1; i < located.length; i++) {
    if (located[i].end > located[i - 1].start) throw new Error(`overlapping edits at offsets ${located[i].start}-${located[i].end} and ${located[i - 1].start}-${located[i - 1].end}`);
  }
  let result = text;
  for (const edit of located) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}
