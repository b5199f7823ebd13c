import type { FileEdit, TextEdit } from '../analysis/finding';
import type { ConfigureCall, EnvConfig } from '../project/envConfig';
import type { SourceText } from '../text/sourceText';
import { appendToListLiteral } from './listLiteralEdit';

/**
 * Makes env.py's include_object exclude `tables`: adds them to the filter's existing list,
 * teaches an existing filter to consult a new list, or writes the filter and wires it into
 * every `context.configure(...)` (online and offline).
 */
export function excludeTablesInEnv(env: EnvConfig, text: SourceText, tables: string[]): FileEdit {
  const missing = [...new Set(tables)].filter((t) => !env.excludedTables.has(t)).sort();
  const edits: TextEdit[] = [];
  const eol = text.eol;
  if (env.exclusionList) {
    edits.push(appendToListLiteral(text, env.exclusionList.literal, missing));
  } else {
    const listName = freeName(env, 'EXCLUDED_TABLES');
    const declaration = [
      '# Tables managed outside Alembic (other tools, hand-written SQL): autogenerate must never drop them.',
      `${listName} = {${missing.map(quote).join(', ')}}`,
    ];
    if (env.filter) {
      const at = text.lineStart(text.positionAt(env.filter.definitionSpan.start).line);
      edits.push({ range: text.rangeOf(at, at), newText: declaration.join(eol) + eol + eol + eol });
      const [nameParameter, typeParameter] =
        env.filter.kind === 'include_object' ? [env.filter.parameters[1], env.filter.parameters[2]] : [env.filter.parameters[0], env.filter.parameters[1]];
      const indent = env.filter.bodyIndent;
      const bodyLine = text.lineStart(text.positionAt(env.filter.bodyStart).line);
      const guard = [`${indent}if ${typeParameter} == "table" and ${nameParameter} in ${listName}:`, `${indent}    return False`];
      edits.push({ range: text.rangeOf(bodyLine, bodyLine), newText: guard.join(eol) + eol });
    } else {
      const at = env.functionInsertionPoint;
      const filter = [
        ...declaration,
        '',
        '',
        'def include_object(object, name, type_, reflected, compare_to):',
        `    if type_ == "table" and name in ${listName}:`,
        '        return False',
        '    return True',
      ];
      const atLineStart = at === text.lineStart(text.positionAt(at).line);
      const prefix = atLineStart ? '' : eol + eol;
      edits.push({ range: text.rangeOf(at, at), newText: prefix + filter.join(eol) + eol + (at < text.text.length ? eol + eol : '') });
    }
    if (!env.filterWired) {
      const keyword = env.filter?.kind ?? 'include_object';
      const value = env.filter?.name ?? 'include_object';
      for (const call of env.configureCalls) edits.push(addKeyword(text, call, `${keyword}=${value}`));
    }
  }
  return { file: env.file, edits };
}

function addKeyword(text: SourceText, call: ConfigureCall, argument: string): TextEdit {
  if (call.lastArgumentEnd === undefined) return { range: text.rangeOf(call.closeParen, call.closeParen), newText: argument };
  const separator = call.multiline ? `,${text.eol}${call.argumentIndent}` : ', ';
  return { range: text.rangeOf(call.lastArgumentEnd, call.lastArgumentEnd), newText: separator + argument };
}

function freeName(env: EnvConfig, wanted: string): string {
  let name = wanted;
  for (let i = 2; env.moduleNames.has(name); i++) name = `${wanted}_${i}`;
  return name;
}

function quote(value: string): string {
  return JSON.stringify(value);
}
