import { envModelsNotImported } from './envModelsNotImported';
import { appliedMigrationEdited } from './appliedMigrationEdited';
import { duplicateRevision } from './duplicateRevision';
import { multipleHeads } from './multipleHeads';
import { nonDescriptiveMessage } from './nonDescriptiveMessage';
import { revisionCycle } from './revisionCycle';
import { revisionIdMismatch } from './revisionIdMismatch';
import { unknownDownRevision } from './unknownDownRevision';
import { autogenerateMarkersLeft } from './autogenerateMarkersLeft';
import { dropColumnInUpgrade } from './dropColumnInUpgrade';
import { dropIndexOrConstraintInUpgrade } from './dropIndexOrConstraintInUpgrade';
import { dropOfUnmanagedTable } from './dropOfUnmanagedTable';
import { dropOfUnregisteredModelTable } from './dropOfUnregisteredModelTable';
import { dropTableInUpgrade } from './dropTableInUpgrade';
import { emptyDowngrade } from './emptyDowngrade';
import { envMissingIncludeObject } from './envMissingIncludeObject';
import { ignoreWithoutReason } from './ignoreWithoutReason';
import { modelNotRegistered } from './modelNotRegistered';
import type { Rule } from './rule';
import { tableRecreated } from './tableRecreated';
import { unusedIgnore } from './unusedIgnore';

/** Every rule, by code: diagnostics, hovers, `explain`, `rules` and the README table read this list. */
export const RULES: readonly Rule[] = [
  dropTableInUpgrade,
  dropColumnInUpgrade,
  dropIndexOrConstraintInUpgrade,
  tableRecreated,
  modelNotRegistered,
  dropOfUnregisteredModelTable,
  dropOfUnmanagedTable,
  envMissingIncludeObject,
  envModelsNotImported,
  autogenerateMarkersLeft,
  emptyDowngrade,
  multipleHeads,
  unknownDownRevision,
  duplicateRevision,
  revisionCycle,
  revisionIdMismatch,
  nonDescriptiveMessage,
  appliedMigrationEdited,
  ignoreWithoutReason,
  unusedIgnore,
].sort((a, b) => a.code.localeCompare(b.code));

export function ruleByCode(code: string): Rule | undefined {
  return RULES.find((rule) => rule.code === code.toUpperCase());
}

/** Where each rule's documentation lives online; diagnostics link to it. */
export function ruleDocumentationUrl(rule: Rule): string {
  return `https://github.com/alembic-guard/alembic-guard/blob/main/docs/rules.md#${rule.code.toLowerCase()}-${rule.name}`;
}
