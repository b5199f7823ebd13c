import type { FindingsByFile } from '../analysis/analyzer';
import type { Finding, Fix } from '../analysis/finding';
import { applyTextEdits } from '../text/textEdits';
import { combinedFixes } from './combinedFixes';

/** Passes over the files: each fix can reveal or settle others, and the next pass sees the new text. */
const MAX_PASSES = 5;

/** Where fixed texts are read from and written to: the disk (`check --fix`), or the editor's overlays (fix-all). */
export interface FixedTexts {
  read(file: string): string | undefined;
  write(file: string, text: string): void;
}

/**
 * Applies fixes as `ruff --fix` does, pass after pass: in each, the fix `pick` accepts for every
 * finding in scope whose edits do not touch another's, written through `texts`, then everything is
 * analysed again. Returns what was applied and the findings left.
 */
export function applyFixesInPasses(
  analyze: () => FindingsByFile,
  inScope: (file: string) => boolean,
  pick: (fix: Fix) => boolean,
  texts: FixedTexts,
): { applied: { finding: Finding; fix: Fix }[]; findings: FindingsByFile } {
  const applied: { finding: Finding; fix: Fix }[] = [];
  let results = analyze();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const candidates = [...results].filter(([file]) => inScope(file)).flatMap(([, list]) => list);
    const { applied: chosen, edits } = combinedFixes(candidates, pick);
    if (!chosen.length) break;
    for (const fileEdit of edits) texts.write(fileEdit.file, applyTextEdits(fileEdit.create ? '' : (texts.read(fileEdit.file) ?? ''), fileEdit.edits));
    applied.push(...chosen);
    results = analyze();
  }
  return { applied, findings: results };
}
