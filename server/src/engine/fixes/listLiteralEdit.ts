import type { TextEdit } from '../analysis/finding';
import type { ListLiteral } from '../project/pythonModule';
import type { SourceText } from '../text/sourceText';

/** Appends string items right after the last one: valid with or without a trailing comma, one per line if the list is. */
export function appendToListLiteral(text: SourceText, list: ListLiteral, items: string[]): TextEdit {
  const quoted = items.map((item) => JSON.stringify(item));
  if (list.lastItemEnd === undefined) return { range: text.rangeOf(list.closeBracket, list.closeBracket), newText: quoted.join(', ') };
  const separator = list.multiline ? `,${text.eol}${list.itemIndent}` : ', ';
  return { range: text.rangeOf(list.lastItemEnd, list.lastItemEnd), newText: separator + quoted.join(separator) };
}
