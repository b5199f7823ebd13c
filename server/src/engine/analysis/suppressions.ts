import { IGNORE_COMMENT } from '../fixes/ignoreComment';
import type { Span } from '../python/syntax';
import type { SourceText } from '../text/sourceText';
import type { Finding } from './finding';

export interface IgnoreComment {
  fileWide: boolean;
  codes: string[];
  reason: string;
  line: number;
  span: Span;
  /** The comment is alone on its line (it then covers the line below). */
  standalone: boolean;
  used: boolean;
}

export function readIgnoreComments(comments: { text: string; span: Span }[], text: SourceText): IgnoreComment[] {
  const ignores: IgnoreComment[] = [];
  for (const comment of comments) {
    const match = IGNORE_COMMENT.exec(comment.text);
    if (!match) continue;
    const line = text.positionAt(comment.span.start).line;
    ignores.push({
      fileWide: match[1] === 'ignore-file',
      codes: match[2].split(/[\s,]+/).filter(Boolean).map((c) => c.toUpperCase()),
      reason: match[3].trim(),
      line,
      span: comment.span,
      standalone: text.lineText(line).trim().startsWith('#'),
      used: false,
    });
  }
  return ignores;
}

/**
 * Whether an ignore covers a finding: a file-wide one anywhere; a line one on the finding's
 * first line, or standing alone above it (other comment lines may sit between).
 */
export function covers(ignore: IgnoreComment, finding: Finding, text: SourceText): boolean {
  if (!ignore.codes.some((code) => code === 'ALL' || finding.code.startsWith(code))) return false;
  if (ignore.fileWide) return true;
  const line = finding.range.start.line;
  if (ignore.line === line) return true;
  if (!ignore.standalone || ignore.line > line) return false;
  for (let between = ignore.line + 1; between < line; between++) {
    if (!text.lineText(between).trim().startsWith('#')) return false;
  }
  return true;
}
