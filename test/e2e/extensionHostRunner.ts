// Runs the extension test suite inside code-server's real Node extension host, driven from
// headless Debian Chromium: the payload URL VS Code's own browser integration tests use,
// and window.codeAutomationExit for the exit code (the host itself exits 0 either way).
// Usage: node extensionHostRunner.js PORT EXTENSION_DEVELOPMENT_PATH EXTENSION_TESTS_MODULE FOLDER SCREENSHOT
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as util from 'util';
import { chromium } from 'playwright-core';

const [port, developmentPath, testsModule, folder, screenshot] = process.argv.slice(2);
const TIMEOUT_MS = Number(process.env.ITEST_TIMEOUT_MS ?? 300000);
const host = `127.0.0.1:${port}`;
const remote = (p: string) => `vscode-remote://${host}${path.resolve(p)}`;

async function main(): Promise<number> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-guard-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    env: { ...process.env, XDG_CONFIG_HOME: `${profile}/xdg-config`, XDG_CACHE_HOME: `${profile}/xdg-cache` },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    let finish: (code: number | 'timeout') => void = () => {};
    const exited = new Promise<number | 'timeout'>((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationExit', async (code: number) => finish(code));
    // The host's console (our mocha reporter) reaches the page as ["%c INFO", css, format, ...args].
    page.on('console', async (message) => {
      const values = await Promise.all(message.args().map((a) => a.jsonValue().catch(() => '?')));
      if (typeof values[0] === 'string' && /^%c (INFO|ERR|WARN)/.test(values[0]) && values.length > 2) {
        const line = util.format(...values.slice(2));
        if (!/^(Resolv|Creating|Updating|\[Service Worker\]|Ignoring fetching|\[reconnection|ChatSessionStore|Creation of workbench contribution|Started local extension host|Extension host|Loading development extension)/.test(line)) console.log(line);
      }
    });
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(developmentPath)],
      ['extensionTestsPath', remote(testsModule)],
      ['skipWelcome', 'true'],
    ]);
    await page.goto(`http://${host}/?folder=${encodeURIComponent(path.resolve(folder))}&payload=${encodeURIComponent(payload)}`, { waitUntil: 'domcontentloaded' });
    const timer = setTimeout(() => finish('timeout'), TIMEOUT_MS);
    const code = await exited;
    clearTimeout(timer);
    await page.screenshot({ path: screenshot }).catch(() => undefined);
    if (code === 'timeout') console.log(`extension tests did not finish within ${TIMEOUT_MS} ms`);
    return code === 0 ? 0 : 1;
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);
