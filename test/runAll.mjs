// Runs every test stage in order and ends with the total CI reads: "total: N passed, N failed".
// Stages: engine/fix/CLI/protocol (mocha), PostgreSQL + Alembic round trips, real VS Code.
import { spawn } from 'node:child_process';

const stages = [
  { name: 'Debian prerequisites', command: 'bash', args: ['test/ensureSystemPackages.sh'], counted: false },
  { name: 'engine, fixes, CLI, language server', command: 'npx', args: ['mocha'] },
  { name: 'PostgreSQL and Alembic', command: 'npx', args: ['mocha', '--config', 'test/postgres/.mocharc.json'] },
  { name: 'real VS Code (code-server + Chromium)', command: 'bash', args: ['test/e2e/run.sh'] },
];

const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
const summary = [];
for (const stage of stages) {
  if (only.length && stage.counted !== false && !only.some((o) => stage.name.toLowerCase().includes(o.toLowerCase()))) continue;
  console.log(`\n### ${stage.name}`);
  const counts = { passed: 0, failed: 0 };
  const code = await new Promise((resolve) => {
    const child = spawn(stage.command, stage.args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let pending = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        const m = /^(\d+) passed, (\d+) failed/.exec(line.trim());
        if (m) {
          counts.passed += Number(m[1]);
          counts.failed += Number(m[2]);
        }
      }
    });
    child.on('close', resolve);
  });
  if (stage.counted === false) {
    if (code !== 0) {
      console.log(`${stage.name} failed (exit ${code})`);
      failed++;
    }
    continue;
  }
  // A stage that died without reporting counts as one failure, never as zero tests.
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  passed += counts.passed;
  failed += counts.failed;
  summary.push(`${stage.name}: ${counts.passed} passed, ${counts.failed} failed${code ? ` (exit ${code})` : ''}`);
}
console.log(`\n${summary.join('\n')}`);
console.log(`total: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
