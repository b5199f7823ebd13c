import { appCodeInMigration } from './appCodeInMigration';
import { appliedMigrationEdited } from './appliedMigrationEdited';
import { ddlErrorSwallowed } from './ddlErrorSwallowed';
import { foreignKeyValidatedUnderLock } from './foreignKeyValidatedUnderLock';
import { uniqueConstraintUnderLock } from './uniqueConstraintUnderLock';
import { volatileDefaultRewrite } from './volatileDefaultRewrite';
import { unparseableFile } from './unparseableFile';
import { dropCascade } from './dropCascade';
import { foreignKeyNeverCreated } from './foreignKeyNeverCreated';
import { missingObject } from './missingObject';
import { autogenerateMarkersLeft } from './autogenerateMarkersLeft';
import { columnTypeChange } from './columnTypeChange';
import { dataOperation } from './dataOperation';
import { downgradeNotInverse } from './downgradeNotInverse';
import { dropColumnInUpgrade } from './dropColumnInUpgrade';
import { dropIndexOrConstraintInUpgrade } from './dropIndexOrConstraintInUpgrade';
import { dropOfUnmanagedTable } from './dropOfUnmanagedTable';
import { dropOfUnregisteredModelTable } from './dropOfUnregisteredModelTable';
import { dropTableInUpgrade } from './dropTableInUpgrade';
import { duplicateRevision } from './duplicateRevision';
import { emptyDowngrade } from './emptyDowngrade';
import { enumValueInTransaction } from './enumValueInTransaction';
import { enumWithoutCheckfirst } from './enumWithoutCheckfirst';
import { envMissingIncludeObject } from './envMissingIncludeObject';
import { envModelsNotImported } from './envModelsNotImported';
import { foreignKeyOrder } from './foreignKeyOrder';
import { ignoreWithoutReason } from './ignoreWithoutReason';
import { indexNotConcurrent } from './indexNotConcurrent';
import { modelNotRegistered } from './modelNotRegistered';
import { multipleHeads } from './multipleHeads';
import { nonDescriptiveMessage } from './nonDescriptiveMessage';
import { notNullColumnWithoutDefault } from './notNullColumnWithoutDefault';
import { protectedTableTouched } from './protectedTableTouched';
import { rename } from './rename';
import { rolloutBranchMismatch } from './rolloutBranchMismatch';
import { revisionCycle } from './revisionCycle';
import { revisionIdMismatch } from './revisionIdMismatch';
import type { Rule } from './rule';
import { setNotNull } from './setNotNull';
import { tableAlreadyExists } from './tableAlreadyExists';
import { tableRecreated } from './tableRecreated';
import { truncateOrDeleteAll } from './truncateOrDeleteAll';
import { unknownDownRevision } from './unknownDownRevision';
import { unnamedConstraintDrop } from './unnamedConstraintDrop';
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
  appCodeInMigration,
  columnTypeChange,
  dataOperation,
  downgradeNotInverse,
  enumValueInTransaction,
  enumWithoutCheckfirst,
  foreignKeyOrder,
  indexNotConcurrent,
  notNullColumnWithoutDefault,
  protectedTableTouched,
  rename,
  setNotNull,
  tableAlreadyExists,
  truncateOrDeleteAll,
  unnamedConstraintDrop,
  missingObject,
  ddlErrorSwallowed,
  unparseableFile,
  foreignKeyNeverCreated,
  volatileDefaultRewrite,
  foreignKeyValidatedUnderLock,
  uniqueConstraintUnderLock,
  dropCascade,
  rolloutBranchMismatch,
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
