import type { TextEdit } from '../analysis/finding';
import type { FunctionBody } from '../migration/migrationFile';
import type { SourceText } from '../text/sourceText';

/**
 * Appends statements (already indented) to a function. A body that only says `pass` or
 * `...` has that statement replaced; otherwise the lines go after the last statement, which
 * keeps them above Alembic's end marker.
 */
export function appendToFunction(text: SourceText, fn: FunctionBody, lines: string[]): TextEdit {
  const eol = text.eol;
  const placeholder = fn.isEmpty
    ? fn.statements.find((s) => /^(pass|\.\.\.)$/.test(text.text.slice(s.start, s.end)))
    : undefined;
  if (placeholder) {
    const line = text.positionAt(placeholder.start).line;
    return { range: text.rangeOf(text.lineStart(line), text.nextLineStart(line)), newText: lines.join(eol) + eol };
  }
  const last = fn.statements[fn.statements.length - 1];
  const at = last ? text.nextLineStart(text.positionAt(last.end).line) : text.nextLineStart(text.positionAt(fn.headerEnd).line);
  const needsBreak = at === text.text.length && !/\r?\n$/.test(text.text);
  return { range: text.rangeOf(at, at), newText: (needsBreak ? eol : '') + lines.join(eol) + eol };
}
