// Bundles the client, the server and the CLI into dist/ with the .wasm files they load,
// so the .vsix and the npm package run without node_modules.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
mkdirSync('dist', { recursive: true });

// web-tree-sitter's CommonJS build still asks for import.meta.url; give it the bundle's own URL.
const importMetaUrl = {
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
};
// Facts stored on disk by one build are read back only by the same build: it is named by
// its sources and its locked dependencies (the parsers that produced the facts).
const build_id = createHash('sha256');
for (const entry of readdirSync('server/src', { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => `${e.parentPath ?? e.path}/${e.name}`).sort()) {
  build_id.update(entry).update(readFileSync(entry));
}
build_id.update(readFileSync('package-lock.json'));
const buildIdentity = { 'ALEMBIC_GUARD_BUILD': JSON.stringify(build_id.digest('hex').slice(0, 16)) };

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  sourcemap: false,
  logLevel: 'warning',
  ...importMetaUrl,
  define: { ...importMetaUrl.define, ...buildIdentity },
};
// A `check` lasts a second or two: V8's optimising compile of the wasm parsers never pays off
// within it, and Node waits for that compile before exiting (about 200 ms on every run). The
// baseline compiler alone is kept for the CLI; the language server is long-lived and keeps both.
const SHORT_RUN_WASM = "if (process.argv[2] !== 'server') require('v8').setFlagsFromString('--liftoff-only');";

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: `${common.banner.js}\n${SHORT_RUN_WASM}` } }),
]);

for (const [file, source] of [
  ['web-tree-sitter.wasm', 'web-tree-sitter/web-tree-sitter.wasm'],
  ['tree-sitter-python.wasm', 'tree-sitter-python/tree-sitter-python.wasm'],
  ['libpg-query.wasm', 'libpg-query/wasm/libpg-query.wasm'],
]) {
  copyFileSync(require.resolve(source), `dist/${file}`);
}
