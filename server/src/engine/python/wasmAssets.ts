import * as fs from 'fs';
import * as path from 'path';

/**
 * Finds a .wasm file: beside the running bundle (the .vsix and the CLI ship them in dist/),
 * otherwise inside the npm package that provides it (unbundled tests). Never downloads.
 */
export function locateWasm(fileName: string, packageEntry: string): string {
  const besideBundle = path.join(__dirname, fileName);
  if (fs.existsSync(besideBundle)) return besideBundle;
  return require.resolve(packageEntry);
}
