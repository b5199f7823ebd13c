import * as fs from 'fs';
import * as path from 'path';
import type { Finding } from '../engine/analysis/finding';
import { isSafeFix } from '../engine/fixes/combinedFixes';
import { applyFixesInPasses } from '../engine/fixes/fixPasses';
import type { GuardEngine } from '../engine/engine';

/** One applied fix, for the report: where its finding was and what it did. */
export interface AppliedFix {
  file: string;
  line: number;
  code: string;
  title: string;
}

/**
 * Applies fixes to the files on disk as `ruff --fix` does: the safe ones (those that cannot lose
 * data, marked preferred), or with `unsafe` the first fix of every finding, except ignores (which
 * need a reason typed). Re-analyses after each pass; returns what it applied and the findings left.
 */
export function applyFixes(engine: GuardEngine, unsafe: boolean, inScope: (file: string) => boolean): { applied: AppliedFix[]; findings: Map<string, Finding[]> } {
  const { applied, findings } = applyFixesInPasses(() => engine.analyze(), inScope, (fix) => (unsafe ? !fix.cursor : isSafeFix(fix)), {
    read: (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined),
    write: (file, text) => {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      engine.files.invalidate(file);
    },
  });
  return { applied: applied.map(({ finding, fix }) => ({ file: finding.file, line: finding.range.start.line + 1, code: finding.code, title: fix.title })), findings };
}
