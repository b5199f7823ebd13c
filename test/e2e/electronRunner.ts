// Runs the extension-host suite in desktop VS Code through @vscode/test-electron: the VS Code
// at $VSCODE_EXECUTABLE, or one it downloads (impossible offline: then it stops at once and
// says so). `npm test` runs the same suite in code-server instead, which installs from npm.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const ROOT = path.resolve(__dirname, '../../..');

async function main(): Promise<number> {
  let executable = process.env.VSCODE_EXECUTABLE;
  if (!executable) {
    try {
      executable = await downloadAndUnzipVSCode('1.100.3');
    } catch (error) {
      console.error(
        `Cannot download VS Code (${(error as Error).message.split('\n')[0]}).\n` +
          'Set VSCODE_EXECUTABLE to an installed VS Code 1.100 or newer to run the extension tests through @vscode/test-electron;\n' +
          '`npm test` runs the same suite inside code-server, which installs from npm.',
      );
      return 1;
    }
  }
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-guard-electron-'));
  fs.cpSync(path.join(ROOT, 'test/fixtures/sample-project'), workspace, { recursive: true });
  try {
    await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(ROOT, 'out/test/e2e/suite/index.js'),
      launchArgs: [workspace, '--disable-extensions', '--skip-welcome', '--disable-workspace-trust'],
    });
    return 0;
  } catch (error) {
    console.error(`extension tests failed: ${(error as Error).message}`);
    return 1;
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code));
