import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { GuardEngine } from '../../server/src/engine/engine';
import { RevisionGraph } from '../../server/src/engine/graph/revisionGraph';
import { FixtureProject } from '../support/fixtureProject';
import { generateHistory, HistoryShape } from '../support/historyGenerator';

function alembicOutput(project: FixtureProject, command: string): string[] {
  const result = spawnSync('alembic', [command], { cwd: project.root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`alembic ${command} failed:\n${result.stderr}`);
  return result.stdout.split('\n').filter(Boolean);
}

/** The folder's files in the operating system's order: how Debian's Alembic 1.8 (os.listdir) reads them. */
function osOrder(dir: string): string[] {
  const handle = fs.opendirSync(dir);
  const names: string[] = [];
  for (let entry = handle.readSync(); entry; entry = handle.readSync()) if (entry.isFile() && entry.name.endsWith('.py')) names.push(entry.name);
  handle.closeSync();
  return names;
}

describe('the revision graph agrees with the real alembic heads and history', function () {
  this.timeout(120000);
  let project: FixtureProject | undefined;
  afterEach(() => project?.dispose());

  const cases: [string, HistoryShape][] = [
    ['600 revisions with branches and merges, one head', { revisions: 600, seed: 7, branching: 0.08, merging: 0.06 }],
    ['labelled independent branches with depends_on', { revisions: 120, seed: 11, labelledBranches: 3 }],
    ['several unmerged heads', { revisions: 200, seed: 23, branching: 0.15, merging: 0.02, leaveHeads: true }],
  ];

  for (const [name, shape] of cases) {
    it(name, async () => {
      project = FixtureProject.fromFiles({ 'alembic.ini': '[alembic]\nscript_location = %(here)s/alembic\n', 'alembic/env.py': '' });
      for (const migration of generateHistory(shape)) project.write(`alembic/versions/${migration.fileName}`, migration.text);
      const engine = await GuardEngine.create(project.root);
      const versions = project.path('alembic/versions');
      const migrations = osOrder(versions).map((name) => {
        const file = path.join(versions, name);
        return engine.cache.migration(file, fs.readFileSync(file, 'utf8'));
      });
      const graph = new RevisionGraph(migrations);

      const heads = alembicOutput(project, 'heads').map((line) => line.split(' ')[0]);
      assert.deepStrictEqual(graph.heads, heads, 'heads, in order');
      const history = alembicOutput(project, 'history').map((line) => /-> (\w+)/.exec(line)![1]);
      assert.strictEqual(history.length, migrations.length);
      assert.deepStrictEqual(graph.history(), history, 'history, in order');
      if (shape.leaveHeads) {
        assert.ok(heads.length > 1);
        // The merge revision our fix writes is one Alembic accepts: one head afterwards.
        const finding = [...engine.analyze().values()].flat().find((f) => f.code === 'AG601')!;
        project.apply(finding.fixes[0]);
        assert.strictEqual(alembicOutput(project, 'heads').length, 1);
        assert.strictEqual(alembicOutput(project, 'history').length, migrations.length + 1);
      }
    });
  }
});
