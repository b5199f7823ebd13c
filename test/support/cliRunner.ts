import { spawnSync } from 'child_process';
import * as path from 'path';

export const CLI = path.resolve(__dirname, '../../../dist/cli.js');

/** Runs the bundled CLI as a user does (no colours), returning its exit code and output. */
export function runCli(args: string[], cwd = process.cwd()): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
