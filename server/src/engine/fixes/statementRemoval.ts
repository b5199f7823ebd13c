import type { TextEdit } from '../analysis/finding';
import type { StatementPlace } from '../migration/migrationFile';
import type { Span } from '../python/syntax';
import type { SourceText } from '../text/sourceText';

/**
 * Deletes statements, whole lines where they stand alone; a block left with no statement
 * gets `pass`, so the result is still valid Python.
 */
export function removeStatements(text: SourceText, places: StatementPlace[]): TextEdit[] {
  const edits: TextEdit[] = [];
  const byBlock = new Map<number, StatementPlace[]>();
  for (const place of places) {
    const key = place.siblings[0]?.start ?? place.span.start;
    byBlock.set(key, [...(byBlock.get(key) ?? []), place]);
  }
  for (const group of byBlock.values()) {
    const removed = new Set(group.map((p) => p.span.start));
    const emptied = group[0].siblings.every((s) => removed.has(s.start));
    group.sort((a, b) => a.span.start - b.span.start);
    group.forEach((place, i) => {
      const span = removalSpan(text, place.span);
      if (emptied && i === 0) {
        const line = text.positionAt(place.span.start).line;
        edits.push({ range: text.rangeOf(span.start, span.end), newText: `${text.indentationOf(line)}pass${text.eol}` });
      } else {
        edits.push({ range: text.rangeOf(span.start, span.end), newText: '' });
      }
    });
  }
  return edits;
}

/** The statement's whole lines (with a trailing comment) when nothing else shares them. */
function removalSpan(text: SourceText, span: Span): Span {
  const startLine = text.positionAt(span.start).line;
  const endLine = text.positionAt(span.end).line;
  const before = text.text.slice(text.lineStart(startLine), span.start);
  const after = text.text.slice(span.end, text.lineEnd(endLine));
  if (/^\s*$/.test(before) && /^\s*(#.*)?$/.test(after)) {
    return { start: text.lineStart(startLine), end: text.nextLineStart(endLine) };
  }
  return span;
}

/** The statement's source re-indented from its own indentation to `indent`. */
export function reindentStatement(text: SourceText, span: Span, indent: string): string[] {
  const startLine = text.positionAt(span.start).line;
  const own = text.indentationOf(startLine);
  const source = text.text.slice(text.lineStart(startLine), span.end);
  return source.split(/\r?\n/).map((line) => (line.startsWith(own) ? indent + line.slice(own.length) : line));
}
