// Drives real VS Code (code-server with the packaged .vsix installed) from headless Debian
// Chromium the way a person works: Quick Open a migration, see the squiggle, hover it, open
// the Quick Fix menu (Ctrl+.) and apply a fix, run "Review migration" from the palette.
// Usage: node uiScenario.js PORT FOLDER SCREENSHOT_DIR     Prints "N passed, N failed".
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium, Page } from 'playwright-core';
import { migrationFileName, migrationSource, MigrationSpec } from '../support/migrationSource';

const [port, folder, shots] = process.argv.slice(2);
const results: boolean[] = [];

function check(name: string, ok: boolean, detail = ''): void {
  results.push(ok);
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` :: ${detail}` : ''}`);
}

/** The on-screen line of the editor whose text contains `text`. */
function editorLine(page: Page, text: string) {
  return page.locator('.monaco-editor .view-line').filter({ hasText: text }).first();
}

/**
 * The error squiggle on the editor line containing `text`, measured in one pass inside the page
 * (decorations re-render as diagnostics arrive; measuring element by element races with that).
 * Waits until there is one; undefined when none appears.
 */
async function squiggleOnLine(page: Page, text: string): Promise<{ x: number; y: number; width: number; height: number } | undefined> {
  const find = `(() => {
    const line = [...document.querySelectorAll('.monaco-editor .view-line')].find((l) => l.textContent.includes(${JSON.stringify(text)}));
    if (!line) return null;
    const r = line.getBoundingClientRect();
    for (const s of document.querySelectorAll('.monaco-editor .squiggly-error')) {
      const b = s.getBoundingClientRect();
      if (Math.abs(b.y + b.height / 2 - (r.y + r.height / 2)) < r.height / 2) return { x: b.x, y: b.y, width: b.width, height: b.height };
    }
    return null;
  })()`;
  const handle = await page.waitForFunction(find, undefined, { timeout: 15000 }).catch(() => undefined);
  return handle ? ((await handle.jsonValue()) as { x: number; y: number; width: number; height: number }) : undefined;
}

async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 15000 });
  await page.keyboard.type(title);
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title.split(': ')[1] }).first().waitFor({ timeout: 15000 });
  await page.keyboard.press('Enter');
}

/**
 * A copy of the workspace whose history grows to 300 revisions: a long line from its head, then
 * a branch point with two heads of five revisions each (they share everything before it).
 */
function generatedHistory(folder: string): string {
  const target = `${path.resolve(folder)}-history`;
  fs.cpSync(folder, target, { recursive: true });
  const versions = path.join(target, 'alembic', 'versions');
  const existing = fs.readdirSync(versions).filter((f) => f.endsWith('.py'));
  const ids = new Set(existing.map((f) => /^revision: str = '(\w+)'/m.exec(fs.readFileSync(path.join(versions, f), 'utf8'))![1]));
  const parents = new Set(existing.flatMap((f) => [.../^down_revision[^=]*= (.*)$/m.exec(fs.readFileSync(path.join(versions, f), 'utf8'))![1].matchAll(/'(\w+)'/g)].map((m) => m[1])));
  let head = [...ids].find((id) => !parents.has(id))!;
  let n = existing.length;
  const write = (message: string, down: string) => {
    const id = (0xa00000000000 + n++).toString(16);
    const spec: MigrationSpec = { revision: id, downRevision: down, message, upgrade: [`op.add_column('receipts', sa.Column('c${n}', sa.Integer(), nullable=True))`], downgrade: [`op.drop_column('receipts', 'c${n}')`] };
    fs.writeFileSync(path.join(versions, migrationFileName(spec)), migrationSource(spec));
    return id;
  };
  while (n < 290) head = write(`step ${n}`, head);
  for (const branch of ['a', 'b']) {
    let tip = head;
    for (let i = 0; i < 5; i++) tip = write(`branch ${branch} step ${i}`, tip);
  }
  return target;
}

async function main(): Promise<void> {
  fs.mkdirSync(shots, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-guard-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    env: { ...process.env, XDG_CONFIG_HOME: `${profile}/xdg-config`, XDG_CACHE_HOME: `${profile}/xdg-cache` },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  try {
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(path.resolve(folder))}`, { waitUntil: 'domcontentloaded', timeout: 60000 });
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60000 });

    // Quick Open the Better Auth migration.
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } });
    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 15000 });
    await page.keyboard.type('82233f5589d3_add_receipt_notes');
    await page.waitForSelector('.quick-input-list .monaco-list-row', { timeout: 15000 });
    await page.keyboard.press('Enter');
    await editorLine(page, "op.drop_table('session')").waitFor({ timeout: 30000 });

    // The CodeLens above upgrade() (it shifts the lines below it, so wait for it first).
    const lens = page.locator('.monaco-editor .codelens-decoration').filter({ hasText: /destructive operations · \d+ findings · Review/ }).first();
    await lens.waitFor({ state: 'visible', timeout: 60000 });
    check('CodeLens summarises upgrade()', true, await lens.innerText());
    // The squiggle under the drop of "session".
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'attached', timeout: 60000 });
    const squiggle = await squiggleOnLine(page, "op.drop_table('session')");
    check('squiggle under op.drop_table("session")', !!squiggle);
    await page.screenshot({ path: `${shots}/01-squiggles.png` });

    // Hover it: the finding and the rule's documentation.
    await page.mouse.move(squiggle!.x + 20, squiggle!.y + squiggle!.height / 2);
    await page.mouse.move(squiggle!.x + 30, squiggle!.y + squiggle!.height / 2);
    const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: 'Why:' }).first();
    await hover.waitFor({ state: 'visible', timeout: 15000 });
    const hoverText = (await hover.innerText()).replace(/\s+/g, ' ');
    check('hover leads with AG203, its fix and why, and links to the documentation', /AG203/.test(hoverText) && /Fix: Remove the drop/.test(hoverText) && /Full documentation of AG203/.test(hoverText), hoverText.slice(0, 160));
    await page.screenshot({ path: `${shots}/02-hover.png` });
    await page.keyboard.press('Escape');

    // Ctrl+. on that line and apply the preferred fix (measured again: hovers can move things).
    const target = (await squiggleOnLine(page, "op.drop_table('session')"))!;
    await page.mouse.click(target.x + 30, target.y + target.height / 2);
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row').filter({ hasText: 'Remove the drop of "session"' }).first();
    await fix.waitFor({ state: 'visible', timeout: 15000 });
    check('Quick Fix menu offers the fix', true);
    await page.screenshot({ path: `${shots}/03-quick-fix.png` });
    // Walk the menu with the keyboard to the fix, as a keyboard user does, then Enter.
    const focused = page.locator('.action-widget .monaco-list-row.focused');
    for (let i = 0; i < 8 && !/Remove the drop of "session"/.test((await focused.innerText().catch(() => '')) ?? ''); i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await editorLine(page, "op.drop_table('session')").waitFor({ state: 'detached', timeout: 15000 });
    check('the fix removed the drop', true);
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'attached', timeout: 15000 });
    const remaining = await squiggleOnLine(page, "op.drop_table('account')");
    check('the other drops keep their squiggles', !!remaining);

    // Command palette: Review migration.
    await page.keyboard.press('F1');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 15000 });
    await page.keyboard.type('Alembic Guard: Review migration');
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Review migration' }).first().waitFor({ timeout: 15000 });
    await page.keyboard.press('Enter');
    const tab = page.locator('.tab').filter({ hasText: 'Review: add receipt notes' }).first();
    await tab.waitFor({ state: 'visible', timeout: 30000 });
    // The webview host swaps a pending frame in when content changes: read the shown one.
    const review = () => page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
    const report = review().locator('h1').filter({ hasText: 'Review: add receipt notes' });
    await report.waitFor({ timeout: 30000 });
    check('"Review migration" shows the report beside the editor', true);
    // The checklist says what the findings say: drops are reported, so "No drop in upgrade()" fails; the chain's items stand apart.
    const dropItem = review().locator('.checklist li.fail').filter({ hasText: 'No drop in upgrade()' }).first();
    const chainHeading = review().locator('h2').filter({ hasText: 'The chain and the models' }).first();
    check('the review checklist matches the findings, the chain apart', (await dropItem.count()) === 1 && (await chainHeading.count()) === 1);
    await page.screenshot({ path: `${shots}/04-review.png` });
    // Fix a finding from the report: its button runs the quick fix on the migration.
    const button = review().locator('button').filter({ hasText: 'Remove the drop of "verification"' }).first();
    await button.click();
    await editorLine(page, "op.drop_table('verification')").waitFor({ state: 'detached', timeout: 15000 });
    check('a fix button in the report fixes the migration', true);
    // "Copy as Markdown": the review lands on the clipboard, ready for a pull request.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `http://127.0.0.1:${port}` });
    await review().locator('#copy').click();
    await page.locator('.notification-toast').filter({ hasText: 'review copied as Markdown' }).first().waitFor({ timeout: 15000 });
    const copied = await page.evaluate<string>('navigator.clipboard.readText()');
    check('"Copy as Markdown" puts the review on the clipboard', copied.startsWith('# Review: add receipt notes'), copied.slice(0, 40));
    // The Explorer's "Alembic Revisions" view: the graph from its head down.
    await page.locator('.pane-header').filter({ hasText: 'Alembic Revisions' }).first().click();
    const head = page.locator('.monaco-list-row').filter({ hasText: 'add receipt notes' }).filter({ hasText: 'head' }).first();
    await head.waitFor({ state: 'visible', timeout: 15000 });
    check('the Alembic Revisions view shows the head revision', true, (await head.innerText()).replace(/\s+/g, ' '));
    const statusBar = page.locator('.statusbar-item').filter({ hasText: /Alembic: \d+ heads?/ }).first();
    check('the status bar shows the chain state', await statusBar.isVisible(), await statusBar.innerText().catch(() => ''));

    // The server's own state beside it: ready, and a click opens its output channel.
    const server = page.locator('.statusbar-item').filter({ hasText: /Alembic Guard: ready/ }).first();
    await server.waitFor({ state: 'visible', timeout: 30000 });
    check('the status bar shows the server ready', true, (await server.innerText()).trim());
    await server.click();
    // Monaco draws spaces as no-break spaces: \s matches both.
    const output = page.locator('.part.panel').filter({ hasText: /\[alembic-guard\]\sanalysed/ }).first();
    await output.waitFor({ state: 'visible', timeout: 15000 });
    check('clicking it shows the Alembic Guard output, with the analysis timed', true);
    await page.screenshot({ path: `${shots}/06-output.png` });

    // "Restart server" from the palette: the state goes through indexing and back to ready.
    await runCommand(page, 'Alembic Guard: Restart server');
    await page.locator('.statusbar-item').filter({ hasText: /Alembic Guard: (indexing|ready)/ }).first().waitFor({ timeout: 30000 });
    await page.locator('.statusbar-item').filter({ hasText: /Alembic Guard: ready/ }).first().waitFor({ timeout: 60000 });
    check('"Restart server" brings the server back to ready', true);

    // A 300-revision history with two heads sharing their ancestors: one row per revision, both heads open.
    const history = generatedHistory(folder);
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(history)}`, { waitUntil: 'domcontentloaded', timeout: 60000 });
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60000 });
    await page.locator('.pane-header').filter({ hasText: 'Alembic Revisions' }).first().click();
    // Each head is a group of its own revisions; the history they share is one more group.
    const groups = page.locator('.monaco-list-row').filter({ hasText: /only on this branch/ });
    await groups.first().waitFor({ state: 'visible', timeout: 60000 });
    // Room for the view: the folder's file tree folds away, as a user would fold it.
    await page.locator('.pane-header').filter({ hasText: /WS-UI-HISTORY/i }).first().click();
    await page.locator('.pane-header').filter({ hasText: 'Alembic Revisions' }).first().hover();
    await page.locator('.pane-header').filter({ hasText: 'Alembic Revisions' }).locator('[aria-label="Collapse All"]').first().click();
    const shared = page.locator('.monaco-list-row').filter({ hasText: 'Shared history' }).first();
    await shared.waitFor({ state: 'visible', timeout: 15000 });
    check('two heads, each a group of its own revisions, and the shared history once', (await groups.count()) === 2, `${await groups.count()} head groups`);
    for (const branch of ['a', 'b']) {
      const group = groups.filter({ hasText: `branch ${branch} step 4` }).first();
      await group.click();
      await page.locator('.monaco-list-row').filter({ hasText: `branch ${branch} step 0` }).first().waitFor({ state: 'visible', timeout: 15000 });
      await group.click();
    }
    await shared.click();
    await page.locator('.monaco-list-row').filter({ hasText: /step 289/ }).first().waitFor({ state: 'visible', timeout: 15000 });
    const errors = await page.locator('.notification-toast').filter({ hasText: /already registered/ }).count();
    check('both heads and the shared history expand, with no "already registered" error', errors === 0);
    await page.screenshot({ path: `${shots}/07-revisions-300.png` });
    const chain = page.locator('.statusbar-item').filter({ hasText: /Alembic: 2 heads/ }).first();
    await chain.waitFor({ state: 'visible', timeout: 30000 });
    await chain.click();
    const merge = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: /Merge the 2 heads/ }).first();
    await merge.waitFor({ state: 'visible', timeout: 15000 });
    check('clicking "2 heads" lists the heads and offers the merge', true);
    await page.screenshot({ path: `${shots}/08-heads.png` });
    await page.keyboard.press('Escape');
  } catch (error) {
    check('UI flow', false, (error as Error).message.split('\n')[0]);
    await page.screenshot({ path: `${shots}/99-failure.png` }).catch(() => undefined);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().then(() => {
  const passed = results.filter(Boolean).length;
  const failed = results.length - passed;
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed || !results.length ? 1 : 0);
});
