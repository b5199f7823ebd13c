import type { Node } from 'web-tree-sitter';
import { callArguments, callParts, dottedName, literalValue, LiteralValue } from '../python/syntax';

/** A literal, or the name inside `op.f("name")` (a name already run through the naming convention). */
export function argumentValue(node: Node, text: string = node.text): LiteralValue | undefined {
  if (!OP_F_CALL.test(text)) return literalValue(node);
  if (node.type === 'call' && dottedName(callParts(node).callee) === 'op.f') {
    return literalValue(callArguments(node).positional[0]);
  }
  return undefined;
}

const OP_F_CALL = /^op\s*\.\s*f\s*\(/;
