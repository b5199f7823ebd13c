import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { runCli } from '../support/cliRunner';
import { FixtureProject } from '../support/fixtureProject';
import { LspClient } from '../support/lspClient';

const BASE = 'alembic/versions/644e419d84b5_initial_migration.py';
const HEAD = 'alembic/versions/82233f5589d3_add_receipt_notes.py';

function git(project: FixtureProject, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: project.root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The sample project committed to git, with its base migration edited since (AG607 material). */
function committedProject(): FixtureProject {
  const project = FixtureProject.copyOf('sample-project');
  git(project, 'init', '-q');
  git(project, 'add', '.');
  git(project, 'commit', '-qm', 'initial');
  project.write(BASE, project.read(BASE) + '\n# edited after it was deployed\n');
  return project;
}

/**
 * A partial clone whose tree of alembic/versions is not present locally: reading it makes git
 * fetch it from the promisor remote through the repository's own `core.sshCommand`, which
 * here leaves a marker file.
 */
function partialCloneWithHostileConfig(project: FixtureProject): string {
  const tree = git(project, 'rev-parse', 'HEAD:alembic/versions').trim();
  fs.rmSync(project.path(`.git/objects/${tree.slice(0, 2)}/${tree.slice(2)}`));
  const marker = project.path('MARKER');
  git(project, 'config', 'core.repositoryformatversion', '1');
  git(project, 'config', 'extensions.partialClone', 'origin');
  git(project, 'config', 'remote.origin.url', 'ssh://git.invalid/project.git');
  git(project, 'config', 'remote.origin.promisor', 'true');
  git(project, 'config', 'core.sshCommand', `touch '${marker}'; false`);
  return marker;
}

describe('git runs only where the workspace is trusted, and never fetches', function () {
  let project: FixtureProject;
  let client: LspClient | undefined;
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    project.dispose();
  });

  it('the reproduction is real: plain git ls-tree runs the repository\'s sshCommand', () => {
    project = committedProject();
    const marker = partialCloneWithHostileConfig(project);
    try {
      git(project, 'ls-tree', '-r', 'HEAD', '--', 'alembic/versions');
    } catch {
      // git fails once the command it ran fails; the marker is what matters.
    }
    assert.ok(fs.existsSync(marker), 'without precautions git runs the configured command');
  });

  it('alembic-guard check on a hostile partial clone runs nothing of the repository', () => {
    project = committedProject();
    const marker = partialCloneWithHostileConfig(project);
    const result = runCli(['check', project.root, '--no-cache']);
    assert.match(result.stdout, /AG203/, 'the check itself ran');
    assert.ok(!fs.existsSync(marker), 'core.sshCommand ran');
  });

  for (const trusted of [false, true]) {
    it(`the language server in ${trusted ? 'a trusted' : 'an untrusted'} workspace on a hostile partial clone runs nothing of the repository`, async () => {
      project = committedProject();
      const marker = partialCloneWithHostileConfig(project);
      client = await LspClient.start(project.root, {}, undefined, { trusted });
      await client.open(project.path(HEAD), project.read(HEAD));
      await client.waitFor(() => client!.diagnosticsOf(project.path(HEAD)).length > 0, 'diagnostics');
      assert.ok(!fs.existsSync(marker), 'core.sshCommand ran');
    });
  }

  it('the language server reports an edited applied migration (AG607) only once the workspace is trusted', async () => {
    project = committedProject();
    client = await LspClient.start(project.root, {}, undefined, { trusted: false });
    await client.open(project.path(HEAD), project.read(HEAD));
    await client.waitFor(() => client!.diagnosticsOf(project.path(HEAD)).length > 0, 'diagnostics');
    assert.ok(!client.diagnosticsOf(project.path(BASE)).some((d) => d.code === 'AG607'), 'git ran in an untrusted workspace');
    await client.notify('alembicGuard/trusted');
    await client.waitFor(() => client!.diagnosticsOf(project.path(BASE)).some((d) => d.code === 'AG607'), 'AG607 once trusted');
  });

  it('the command line reports an edited applied migration (AG607): the user ran it on their own work tree', () => {
    project = committedProject();
    const result = runCli(['check', project.root, '--no-cache', '--format', 'json']);
    const codes = (JSON.parse(result.stdout) as { code: string; file: string }[]).filter((f) => f.file.endsWith('644e419d84b5_initial_migration.py')).map((f) => f.code);
    assert.ok(codes.includes('AG607'), codes.join(','));
  });
});
