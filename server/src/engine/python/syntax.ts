import type { Node } from 'web-tree-sitter';

/** Half-open offsets into a file's text (UTF-16 code units). */
export interface Span {
  start: number;
  end: number;
}

export function spanOf(node: Node): Span {
  return { start: node.startIndex, end: node.endIndex };
}

/** A Python literal we can read statically; `undefined` means "not a literal". */
export type LiteralValue = string | number | boolean | null | LiteralValue[];

/**
 * The value of a string literal, or `undefined` for an f-string with interpolations
 * (those are opaque: their text is only known at run time).
 */
export function stringValue(node: Node): string | undefined {
  const type = node.type;
  if (type === 'concatenated_string') {
    let joined = '';
    for (const part of node.namedChildren) {
      if (!part) continue;
      const value = stringValue(part);
      if (value === undefined) return undefined;
      joined += value;
    }
    return joined;
  }
  if (type !== 'string') return undefined;
  // A plain, terminated literal is read from its own text: each node fetched from the parser
  // costs more than decoding the whole literal.
  const text = node.text;
  const opening = STRING_OPENING.exec(text);
  if (opening && !/[ft]/i.test(opening[1]) && text.length >= opening[0].length + opening[2].length && text.endsWith(opening[2])) {
    const content = text.slice(opening[0].length, text.length - opening[2].length);
    return /r/i.test(opening[1]) ? content : decodeEscapes(content);
  }
  return stringValueFromParts(node);
}

/** `r'`, `b"""`…: the prefix letters, and the quote that opens (and must close) a literal. */
const STRING_OPENING = /^([A-Za-z]*)('''|"""|'|")/;

/** F-strings, and literals cut short while typing: read from the parser's parts. */
function stringValueFromParts(node: Node): string | undefined {
  const start = node.namedChildren.find((c) => c?.type === 'string_start')?.text ?? '"';
  const raw = /r/i.test(start);
  let value = '';
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'interpolation') return undefined;
    if (child.type === 'string_content') value += raw ? child.text : decodeEscapes(child.text);
  }
  return value;
}

const ESCAPE = /\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|\r?\n|.)/g;
const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v' };

export function decodeEscapes(text: string): string {
  return text.replace(ESCAPE, (sequence, key: string) => {
    if (key in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[key];
    if (key[0] === '\n' || key[0] === '\r') return '';
    if (/^[xuU]/.test(key)) return String.fromCodePoint(parseInt(key.slice(1), 16));
    if (/^[0-7]/.test(key)) return String.fromCharCode(parseInt(key, 8));
    return sequence;
  });
}

export function literalValue(node: Node | null | undefined): LiteralValue | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'string':
    case 'concatenated_string':
      return stringValue(node);
    case 'none':
      return null;
    case 'true':
      return true;
    case 'false':
      return false;
    case 'integer':
    case 'float':
      return Number(node.text.replace(/_/g, ''));
    case 'parenthesized_expression':
      return literalValue(node.namedChildren.find((c) => c && c.type !== 'comment'));
    case 'tuple':
    case 'list':
    case 'set': {
      const items: LiteralValue[] = [];
      for (const child of node.namedChildren) {
        if (!child || child.type === 'comment') continue;
        const value = literalValue(child);
        if (value === undefined) return undefined;
        items.push(value);
      }
      return items;
    }
    default:
      return undefined;
  }
}

/** `a.b.c` for an identifier/attribute chain, `undefined` for anything else. */
export function dottedName(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  const type = node.type;
  if (type === 'identifier') return node.text;
  if (type === 'attribute') {
    const { object, attribute } = attributeParts(node);
    const objectName = dottedName(object);
    return objectName && attribute ? `${objectName}.${attribute.text}` : undefined;
  }
  return undefined;
}

/** The statement that holds `node` directly in a block or module. */
export function enclosingStatement(node: Node): Node {
  let current: Node = node;
  while (current.parent && current.parent.type !== 'block' && current.parent.type !== 'module') {
    current = current.parent;
  }
  return current;
}

/** The function definition a node sits in, if any. */
export function enclosingFunction(node: Node): Node | undefined {
  let current: Node | null = node.parent;
  while (current && current.type !== 'function_definition') current = current.parent;
  return current ?? undefined;
}

/** A function's parameter names in order (`self`, `a`, `b=1`, `*args` and `c: int` give their names). */
export function parameterNames(definition: Node): string[] {
  return (definition.childForFieldName('parameters')?.namedChildren ?? [])
    .map((p) => (p?.type === 'identifier' ? p.text : (p?.childForFieldName('name') ?? p?.namedChildren[0])?.text))
    .filter((p): p is string => !!p);
}

export function* descendants(node: Node): Generator<Node> {
  const cursor = node.walk();
  try {
    let visitedChildren = false;
    while (true) {
      if (!visitedChildren) {
        yield cursor.currentNode;
        if (cursor.gotoFirstChild()) continue;
      }
      if (cursor.gotoNextSibling()) {
        visitedChildren = false;
        continue;
      }
      if (!cursor.gotoParent() || cursor.currentNode.id === node.id) return;
      visitedChildren = true;
    }
  } finally {
    cursor.delete();
  }
}

/*
 * The helpers below take a node's parts from its list of children rather than by field name:
 * the parser's field lookup costs several times more, and migrations make thousands of them.
 */

/** `object.attribute`: the object and the attribute's identifier. */
export function attributeParts(node: Node): { object: Node | undefined; attribute: Node | undefined } {
  const children = withoutComments(node.namedChildren);
  const attribute = children.length >= 2 ? children[children.length - 1] : undefined;
  return { object: children[0], attribute: attribute?.type === 'identifier' ? attribute : undefined };
}

/** Two parts are the rule; only a longer list can hold a comment, and only then are types asked. */
function withoutComments(nodes: (Node | null)[]): Node[] {
  const present = nodes.filter((c): c is Node => !!c);
  return present.length <= 2 ? present : present.filter((c) => c.type !== 'comment');
}

/** `callee(arguments)`: the callee and the argument list. */
export function callParts(call: Node): { callee: Node | undefined; list: Node | undefined } {
  const children = call.children;
  const last = children[children.length - 1];
  return { callee: children[0] ?? undefined, list: last?.type === 'argument_list' ? last : undefined };
}

/** Positional and keyword arguments of a call, comments and splats left out. */
export function callArguments(call: Node): { positional: Node[]; keywords: Map<string, Node> } {
  const positional: Node[] = [];
  const keywords = new Map<string, Node>();
  for (const child of callParts(call).list?.namedChildren ?? []) {
    if (!child) continue;
    const type = child.type;
    if (type === 'comment') continue;
    if (type === 'keyword_argument') {
      // name `=` value: the first and last named parts.
      const parts = withoutComments(child.namedChildren);
      if (parts.length >= 2) keywords.set(parts[0].text, parts[parts.length - 1]);
    } else if (type !== 'list_splat' && type !== 'dictionary_splat') {
      positional.push(child);
    }
  }
  return { positional, keywords };
}
