import type { Node } from 'web-tree-sitter';
import { callArguments, callParts, decodeEscapes, dottedName, Span, spanOf, stringValue } from '../python/syntax';

/**
 * SQL as a migration builds it: a literal, `sa.text(...)`, a variable holding one, or text put
 * together with `+`, an f-string, `%` or `.format()`. What the engine cannot know (a table name
 * in a variable, a value computed at run time) stands as a placeholder identifier, so
 * PostgreSQL's parser still reads the statement around it.
 */
export interface ComposedSql {
  sql: string;
  /** The literal, when the SQL is written in one place; else the whole expression. */
  span: Span;
  /** Placeholder → the Python expression it stands for, in braces (`{table}`), when anything was unknown. */
  dynamic: Map<string, string> | undefined;
  /** Read through a variable assigned elsewhere in the file. */
  throughVariable: boolean;
}

/** The assignment of `name` that a use at `before` sees: the last one before it in the function, else at module level. */
export type AssignmentLookup = (name: string, before: number) => Node | undefined;

const MAX_VARIABLE_HOPS = 3;

export function composedSql(node: Node, lookup: AssignmentLookup): ComposedSql | undefined {
  const builder = new SqlBuilder(lookup);
  const parts = builder.read(node, 0);
  // Nothing but unknowns (`op.execute(statement)` with no assignment in sight): not SQL we can read.
  if (!parts || !parts.some((p) => typeof p === 'string' && p.trim())) return undefined;
  let sql = '';
  const dynamic = new Map<string, string>();
  for (const part of parts) {
    if (typeof part === 'string') {
      sql += part;
      continue;
    }
    const placeholder = `ag_dynamic_${dynamic.size + 1}`;
    dynamic.set(placeholder, part.unknown);
    sql += placeholder;
  }
  const literal = builder.onlyLiteral;
  return { sql, span: literal ? spanOf(literal) : spanOf(node), dynamic: dynamic.size ? dynamic : undefined, throughVariable: builder.throughVariable };
}

type Part = string | { unknown: string };

const SQL_KEEPING_METHODS = new Set(['params', 'bindparams', 'columns', 'execution_options']);

class SqlBuilder {
  throughVariable = false;
  /** The one string literal the SQL came from, while it is the only one. */
  onlyLiteral: Node | undefined;
  private literals = 0;

  constructor(private readonly lookup: AssignmentLookup) {}

  /** The SQL's pieces, or undefined when the expression is not text at all. */
  read(node: Node, hops: number): Part[] | undefined {
    switch (node.type) {
      case 'string':
      case 'concatenated_string':
        return this.literal(node);
      case 'parenthesized_expression':
        return node.namedChildren[0] ? this.read(node.namedChildren[0], hops) : undefined;
      case 'identifier': {
        const assignment = hops < MAX_VARIABLE_HOPS ? this.lookup(node.text, node.startIndex) : undefined;
        const value = assignment?.childForFieldName('right');
        if (!value) return undefined;
        this.throughVariable = true;
        return this.read(value, hops + 1);
      }
      case 'binary_operator': {
        const operator = node.childForFieldName('operator')?.text;
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (!left || !right) return undefined;
        if (operator === '+') {
          const l = this.read(left, hops);
          const r = this.read(right, hops);
          if (!l && !r) return undefined;
          return [...(l ?? [{ unknown: `{${left.text}}` }]), ...(r ?? [{ unknown: `{${right.text}}` }])];
        }
        if (operator === '%') {
          const format = this.read(left, hops);
          return format && withFormatted(format, /%(?:\(\w+\))?[sdrif]/g, right.text);
        }
        return undefined;
      }
      case 'call': {
        const { callee } = callParts(node);
        const name = dottedName(callee);
        const { positional, keywords } = callArguments(node);
        if (name && /(^|\.)text$/.test(name)) return positional[0] ? this.read(positional[0], hops) : undefined;
        // `sa.text("…").params(...)`, `.bindparams(...)`, `.columns(...)`, `.execution_options(...)`: the same SQL, with its values.
        const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
        if (method && SQL_KEEPING_METHODS.has(method)) {
          const object = callee!.childForFieldName('object');
          return object ? this.read(object, hops) : undefined;
        }
        if (callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'format') {
          const object = callee.childForFieldName('object');
          const format = object ? this.read(object, hops) : undefined;
          const args = [...positional.map((p) => p.text), ...[...keywords.values()].map((k) => k.text)].join(', ');
          return format && withFormatted(format, /\{[^{}]*\}/g, args);
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  private literal(node: Node): Part[] | undefined {
    this.literals++;
    this.onlyLiteral = this.literals === 1 ? node : undefined;
    const plain = stringValue(node);
    if (plain !== undefined) return [plain];
    // An f-string: its text, with each `{…}` as an unknown.
    const parts: Part[] = [];
    for (const piece of node.type === 'concatenated_string' ? node.namedChildren : [node]) {
      if (!piece || piece.type !== 'string') return undefined;
      const start = piece.namedChildren.find((c) => c?.type === 'string_start')?.text ?? '"';
      const raw = /r/i.test(start);
      for (const child of piece.namedChildren) {
        if (!child) continue;
        if (child.type === 'string_content') parts.push((raw ? child.text : decodeEscapes(child.text)).replace(/\{\{/g, '{').replace(/\}\}/g, '}'));
        else if (child.type === 'interpolation') parts.push({ unknown: child.text });
      }
    }
    return parts;
  }
}

/** A `%` or `.format()` template with each field as an unknown standing for (part of) `values`. */
function withFormatted(template: Part[], field: RegExp, values: string): Part[] {
  const parts: Part[] = [];
  for (const part of template) {
    if (typeof part !== 'string') {
      parts.push(part);
      continue;
    }
    let at = 0;
    for (const match of part.matchAll(field)) {
      parts.push(part.slice(at, match.index));
      parts.push({ unknown: match[0] === '{}' || match[0].startsWith('%') ? `{${values}}` : match[0] });
      at = match.index! + match[0].length;
    }
    parts.push(part.slice(at));
  }
  return parts;
}
