import { Edit, Language, Parser, Tree } from 'web-tree-sitter';
import { locateWasm } from './wasmAssets';

let loading: Promise<PythonParser> | undefined;

/** The Python grammar, loaded once per process; parses fresh or incrementally. */
export class PythonParser {
  private constructor(private readonly parser: Parser) {}

  static load(): Promise<PythonParser> {
    loading ??= (async () => {
      await Parser.init({
        locateFile: (name: string) => locateWasm(name, `web-tree-sitter/${name}`),
      });
      const python = await Language.load(locateWasm('tree-sitter-python.wasm', 'tree-sitter-python/tree-sitter-python.wasm'));
      const parser = new Parser();
      parser.setLanguage(python);
      return new PythonParser(parser);
    })();
    return loading;
  }

  parse(text: string): Tree {
    const tree = this.parser.parse(text);
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree;
  }

  /**
   * Re-parses `newText` reusing `previous`, the tree of `previousText`. The edit is the span
   * between the common prefix and suffix, which covers any set of changes in one edit and
   * needs nothing from the caller but the two texts.
   */
  reparse(previousText: string, previous: Tree, newText: string): Tree {
    if (previousText === newText) return previous;
    const edit = singleEditBetween(previousText, newText);
    const edited = previous.copy();
    edited.edit(edit);
    const tree = this.parser.parse(newText, edited);
    edited.delete();
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree;
  }
}

function singleEditBetween(before: string, after: string): Edit {
  const limit = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < limit && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < limit - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  const oldEnd = before.length - suffix;
  const newEnd = after.length - suffix;
  return new Edit({
    startIndex: prefix,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition: pointAt(before, prefix),
    oldEndPosition: pointAt(before, oldEnd),
    newEndPosition: pointAt(after, newEnd),
  });
}

function pointAt(text: string, offset: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}
