import { spawnSync } from 'child_process';
import * as path from 'path';
import { environmentWithTestCache } from './testCacheFolder';

export const CLI = path.resolve(__dirname, '../../../dist/cli.js');

/** Runs the bundled CLI as a user does (no colours), returning its exit code and output. */
export function runCli(args: string[], cwd = process.cwd(), environment: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: environmentWithTestCache({ NO_COLOR: '1', ...environment }) });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
