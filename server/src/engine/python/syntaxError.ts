import type { Node } from 'web-tree-sitter';
import { Span, spanOf } from './syntax';

/** Where Python's grammar first fails in a file, and what it found there. */
export interface SyntaxErrorPlace {
  span: Span;
  /** "missing `)`", "unexpected `)`", "invalid syntax". */
  what: string;
}

/**
 * The first place the parser could not read, or undefined for a file that parses. Only the
 * branches that hold an error are walked.
 */
export function firstSyntaxError(root: Node): SyntaxErrorPlace | undefined {
  if (!root.hasError) return undefined;
  let node: Node = root;
  for (;;) {
    const broken = node.children.find((c): c is Node => !!c && (c.isMissing || c.type === 'ERROR' || c.hasError));
    if (!broken) return { span: spanOf(node), what: 'invalid syntax' };
    if (broken.isMissing) return { span: spanOf(broken), what: `missing \`${broken.type}\`` };
    if (broken.type === 'ERROR') {
      const text = broken.text.trim().split('\n')[0];
      return { span: spanOf(broken), what: text ? `cannot read \`${text.length > 40 ? `${text.slice(0, 40)}…` : text}\`` : 'invalid syntax' };
    }
    node = broken;
  }
}
