import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The CLI and the server keep facts in the user's cache folder; tests give them one of
 * their own, removed when the test process ends, so no run depends on an earlier one.
 */
export const TEST_CACHE_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-guard-test-cache-'));
process.on('exit', () => fs.rmSync(TEST_CACHE_FOLDER, { recursive: true, force: true }));

export function environmentWithTestCache(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, ALEMBIC_GUARD_CACHE_DIR: TEST_CACHE_FOLDER, ...extra };
}
