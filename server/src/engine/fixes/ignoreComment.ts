import type { Fix } from '../analysis/finding';
import type { Range, SourceText } from '../text/sourceText';

export const IGNORE_COMMENT = /#\s*alembic-guard:\s*(ignore|ignore-file)\[([^\]]*)\]\s*(.*)$/;

/**
 * `# alembic-guard: ignore[CODE] ` on its own line above the finding. The reason is left for
 * the user to type (the cursor goes there): without one the comment suppresses nothing.
 */
export function ignoreFix(file: string, text: SourceText, range: Range, code: string): Fix {
  const line = range.start.line;
  const indent = text.indentationOf(line);
  const comment = `${indent}# alembic-guard: ignore[${code}] `;
  const at = text.lineStart(line);
  return {
    title: `Ignore ${code} on this line (type the reason)`,
    edits: [{ file, edits: [{ range: text.rangeOf(at, at), newText: comment + text.eol }] }],
    cursor: { file, position: { line, character: comment.length } },
  };
}
