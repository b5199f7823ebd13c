import * as fs from 'fs';
import * as path from 'path';
import type { Finding } from '../engine/analysis/finding';
import { combinedFixes, isSafeFix } from '../engine/fixes/combinedFixes';
import type { GuardEngine } from '../engine/engine';
import { applyTextEdits } from '../engine/text/textEdits';

/** One applied fix, for the report: where its finding was and what it did. */
export interface AppliedFix {
  file: string;
  line: number;
  code: string;
  title: string;
}

/** Passes over a project: each fix can reveal or settle others, and the next pass sees the new text. */
const MAX_PASSES = 5;

/**
 * Applies fixes to the files on disk as `ruff --fix` does: the safe ones (those that cannot lose
 * data, marked preferred), or with `unsafe` the first fix of every finding, except ignores (which
 * need a reason typed). Re-analyses after each pass; returns what it applied and the findings left.
 */
export function applyFixes(engine: GuardEngine, unsafe: boolean, inScope: (file: string) => boolean): { applied: AppliedFix[]; findings: Map<string, Finding[]> } {
  const applied: AppliedFix[] = [];
  let results = engine.analyze();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const candidates = [...results].filter(([file]) => inScope(file)).flatMap(([, list]) => list);
    const { applied: chosen, edits } = combinedFixes(candidates, (fix) => (unsafe ? !fix.cursor : isSafeFix(fix)));
    if (!chosen.length) break;
    for (const fileEdit of edits) {
      const before = fileEdit.create ? '' : fs.readFileSync(fileEdit.file, 'utf8');
      fs.mkdirSync(path.dirname(fileEdit.file), { recursive: true });
      fs.writeFileSync(fileEdit.file, applyTextEdits(before, fileEdit.edits));
    }
    for (const { finding, fix } of chosen) applied.push({ file: finding.file, line: finding.range.start.line + 1, code: finding.code, title: fix.title });
    for (const fileEdit of edits) engine.files.invalidate(fileEdit.file);
    results = engine.analyze();
  }
  return { applied, findings: results };
}
