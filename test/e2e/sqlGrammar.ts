// Tokenizes Python with VS Code's own Python and SQL grammars (as shipped in code-server)
// plus our injection grammar: SQL in op.execute/sa.text is SQL, other strings stay strings.
// Usage: node sqlGrammar.js VSCODE_EXTENSIONS_DIR        Prints "N passed, N failed".
import * as fs from 'fs';
import * as path from 'path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const extensions = process.argv[2];
const GRAMMARS: Record<string, string> = {
  'source.python': path.join(extensions, 'python/syntaxes/MagicPython.tmLanguage.json'),
  'source.sql': path.join(extensions, 'sql/syntaxes/sql.tmLanguage.json'),
  'sql-in-python.injection.alembic-guard': path.resolve(__dirname, '../../../syntaxes/sql-in-python.injection.json'),
};

async function main(): Promise<number> {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p), createOnigString: (s: string) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope) => (GRAMMARS[scope] ? textmate.parseRawGrammar(fs.readFileSync(GRAMMARS[scope], 'utf8'), GRAMMARS[scope]) : null),
    getInjections: (scope) => (scope === 'source.python' ? ['sql-in-python.injection.alembic-guard'] : []),
  });
  const python = (await registry.loadGrammar('source.python'))!;
  const scopesOf = (line: string, word: string) => {
    const { tokens } = python.tokenizeLine(line, textmate.INITIAL);
    const at = line.indexOf(word);
    return tokens.find((t) => t.startIndex <= at && at < t.endIndex)!.scopes.join(' ');
  };
  const cases: [string, string, string, RegExp][] = [
    ['SQL in op.execute("…")', '    op.execute("DROP TABLE session")', 'DROP', /meta\.embedded\.line\.sql .*keyword/],
    ['SQL in sa.text(\'…\')', "    conn.execute(sa.text('UPDATE users SET credits = 0'))", 'UPDATE', /meta\.embedded\.line\.sql .*keyword/],
    ['SQL in a triple-quoted op.execute', '    op.execute("""ALTER TABLE users DROP COLUMN phone""")', 'ALTER', /meta\.embedded\.block\.sql .*keyword/],
    ['other strings stay Python strings', "    op.drop_table('session')", 'session', /string\.quoted\.single\.python/],
  ];
  let failed = 0;
  for (const [name, line, word, expected] of cases) {
    const scopes = scopesOf(line, word);
    const ok = expected.test(scopes) && (name.startsWith('other') ? !/sql/.test(scopes) : true);
    if (!ok) failed++;
    console.log(`${ok ? 'PASS' : 'FAIL'} ${name} :: ${scopes}`);
  }
  console.log(`${cases.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code));
