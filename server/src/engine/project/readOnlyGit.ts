import { execFileSync } from 'child_process';

/**
 * Settings given on the command line win over the repository's own `.git/config`. A read-only
 * query must not start anything the repository chose: in a partial clone, `ls-tree` of a
 * missing tree fetches it lazily through the promisor remote, running `core.sshCommand` or a
 * remote helper. Every transport is refused, so no fetch can start whatever the config says.
 */
const READ_ONLY_GIT_SETTINGS = ['core.fsmonitor=false', 'protocol.allow=never', 'core.sshCommand=false', 'core.askPass=', 'credential.helper=', 'core.pager=cat', 'core.hooksPath=/dev/null'];

/** The environment of a read-only git query: no lazy fetch (git ≥ 2.44), no prompt, no pager, no system config. */
const READ_ONLY_GIT_ENVIRONMENT = {
  GIT_NO_LAZY_FETCH: '1',
  GIT_TERMINAL_PROMPT: '0',
  GIT_ASKPASS: '',
  SSH_ASKPASS: '',
  GIT_SSH_COMMAND: 'false',
  GIT_PAGER: 'cat',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_OPTIONAL_LOCKS: '0',
};

/** Runs a read-only git query with the settings above; throws when git fails (with its message when `stderr` is piped). */
export function readOnlyGit(args: string[], cwd: string, options: { stderr?: 'pipe' | 'ignore'; timeout?: number } = {}): string {
  const settings = READ_ONLY_GIT_SETTINGS.flatMap((setting) => ['-c', setting]);
  return execFileSync('git', [...settings, ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', options.stderr ?? 'ignore'],
    timeout: options.timeout ?? 5000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...READ_ONLY_GIT_ENVIRONMENT },
  });
}
