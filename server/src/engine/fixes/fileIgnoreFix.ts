import type { Fix } from '../analysis/finding';
import type { SourceText } from '../text/sourceText';

/**
 * `# alembic-guard: ignore-file[CODE] ` below the module docstring (or at the top, after a
 * shebang or encoding line), the cursor at the reason: without one it suppresses nothing.
 */
export function fileIgnoreFix(file: string, text: SourceText, code: string, docstringEnd: number | undefined): Fix {
  let line = 0;
  if (docstringEnd !== undefined) line = text.positionAt(docstringEnd).line + 1;
  else while (line < text.lineCount && /^#(!|.*coding[:=])/.test(text.lineText(line))) line++;
  const comment = `# alembic-guard: ignore-file[${code}] `;
  const at = line < text.lineCount ? text.lineStart(line) : text.text.length;
  const before = line < text.lineCount ? '' : text.eol;
  return {
    title: `Ignore ${code} for this file (type the reason)`,
    edits: [{ file, edits: [{ range: text.rangeOf(at, at), newText: before + comment + text.eol }] }],
    cursor: { file, position: { line, character: comment.length } },
  };
}
