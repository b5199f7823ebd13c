// Applies every fix the checker offers on real projects, one at a time on a copy of the project,
// and checks what a user is promised: the file stays valid Python, the finding goes, and no new
// error appears. Usage: node scripts/check-fixes.mjs PROJECT_FOLDER... (after `npm run build`).
// Prints one line per kind of fix with its counts, then every failure; exits 1 if there is one.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { createRequire } from 'module';
import * as os from 'os';
import * as path from 'path';

const require = createRequire(import.meta.url);
const { GuardEngine } = require('../out/server/src/engine/engine.js');
const { applyTextEdits } = require('../out/server/src/engine/text/textEdits.js');

const roots = process.argv.slice(2).map((root) => path.resolve(root));
if (!roots.length) {
  console.error('usage: node scripts/check-fixes.mjs PROJECT_FOLDER...');
  process.exit(2);
}
const key = (finding) => `${finding.code}|${finding.file}|${finding.message}`;
const findingsOf = async (root) => [...(await GuardEngine.create(root, { mayRunGit: () => false })).analyze().values()].flat();
const parses = (file) => {
  try {
    execFileSync('python3', ['-c', 'import ast, sys; ast.parse(open(sys.argv[1], encoding="utf-8").read())', file], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

const kinds = new Map();
const failures = [];
for (const root of roots) {
  const findings = await findingsOf(root);
  const before = new Set(findings.map(key));
  for (const finding of findings) {
    // Ignores need a reason typed by a person: they are not fixes to apply blindly.
    for (const fix of finding.fixes.filter((f) => !f.cursor)) {
      const kind = `${finding.code} ${fix.title.replace(/"[^"]*"/g, '"…"').replace(/\d+/g, 'N')}`;
      const counts = kinds.get(kind) ?? { offered: 0, preferred: 0, validPython: 0, cleared: 0, noNewError: 0 };
      kinds.set(kind, counts);
      counts.offered++;
      if (fix.preferred) counts.preferred++;
      const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'check-fixes-'));
      try {
        fs.cpSync(root, copy, { recursive: true });
        const inCopy = (file) => path.join(copy, path.relative(root, file));
        let valid = true;
        for (const fileEdit of fix.edits) {
          const target = inCopy(fileEdit.file);
          const text = fileEdit.create ? '' : fs.readFileSync(target, 'utf8');
          fs.mkdirSync(path.dirname(target), { recursive: true });
          fs.writeFileSync(target, applyTextEdits(text, fileEdit.edits));
          if (target.endsWith('.py') && !parses(target)) valid = false;
        }
        if (valid) counts.validPython++;
        const after = (await findingsOf(copy)).map((f) => ({ ...f, file: path.join(root, path.relative(copy, f.file)) }));
        // "Clears its finding" counts only when the file still parses.
        const cleared = valid && after.filter((f) => key(f) === key(finding)).length < findings.filter((f) => key(f) === key(finding)).length;
        if (cleared) counts.cleared++;
        const newErrors = after.filter((f) => f.severity === 'error' && !before.has(key(f)));
        if (!newErrors.length) counts.noNewError++;
        if (!valid || !cleared || newErrors.length) {
          failures.push(`${kind} at ${path.relative(process.cwd(), finding.file)}:${finding.range.start.line + 1}: valid=${valid} cleared=${cleared}${newErrors.length ? ` new errors: ${newErrors.map((f) => `${f.code} ${f.message}`).join('; ')}` : ''}`);
        }
      } finally {
        fs.rmSync(copy, { recursive: true, force: true });
      }
    }
  }
}
for (const [kind, c] of [...kinds].sort()) console.log(`${String(c.offered).padStart(4)} offered, ${c.preferred} preferred, ${c.validPython} valid Python, ${c.cleared} cleared, ${c.noNewError} without a new error  ${kind}`);
for (const failure of failures) console.log(`FAIL ${failure}`);
const total = [...kinds.values()].reduce((n, c) => n + c.offered, 0);
console.log(`${total - failures.length} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
