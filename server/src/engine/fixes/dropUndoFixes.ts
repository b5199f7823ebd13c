import type { Fix, TextEdit } from '../analysis/finding';
import type { MigrationFile, OpCall, StatementPlace } from '../migration/migrationFile';
import type { SourceText } from '../text/sourceText';
import { appendToFunction } from './functionBodyInsertion';
import { reindentStatement, removeStatements } from './statementRemoval';

export interface DropToUndo {
  /** "table \"session\"", "column \"users.phone\"": what the fix titles name. */
  label: string;
  statement: StatementPlace | undefined;
  batched: boolean;
}

export interface DropRemoval {
  statement: StatementPlace;
  isRecreate: (op: OpCall) => boolean;
}

/**
 * Removes drops from upgrade() and, where downgrade() re-creates what they dropped, those
 * re-creates too; all in one pass, so a block they empty gets a single `pass`.
 */
export function removeDropEdits(migration: MigrationFile, text: SourceText, drops: DropRemoval[]): { edits: TextEdit[]; removedRecreate: boolean } {
  const statements: StatementPlace[] = [];
  let removedRecreate = false;
  for (const drop of drops) {
    statements.push(drop.statement);
    const recreate = migration.ops.find((op) => op.phase === 'downgrade' && drop.isRecreate(op) && op.statement);
    if (recreate && !statements.includes(recreate.statement!)) {
      statements.push(recreate.statement!);
      removedRecreate = true;
    }
  }
  return { edits: removeStatements(text, statements), removedRecreate };
}

/**
 * The fix for a drop that does not belong in upgrade(): when downgrade() re-creates what
 * was dropped (autogenerate writes that inverse), remove both; otherwise move the drop into
 * downgrade(). A drop inside a batch block cannot move alone, so it gets no move.
 */
export function dropUndoFixes(
  migration: MigrationFile,
  text: SourceText,
  drop: DropToUndo,
  isRecreate: (op: OpCall) => boolean,
): Fix[] {
  if (!drop.statement) return [];
  const removal = removeDropEdits(migration, text, [{ statement: drop.statement, isRecreate }]);
  if (removal.removedRecreate) {
    return [
      {
        title: `Remove the drop of ${drop.label} and its re-create in downgrade()`,
        edits: [{ file: migration.path, edits: removal.edits }],
        preferred: true,
      },
    ];
  }
  const downgrade = migration.functions.find((f) => f.phase === 'downgrade');
  if (drop.batched || !downgrade) return [];
  const moved = reindentStatement(text, drop.statement.span, downgrade.indent);
  return [
    {
      title: `Move the drop of ${drop.label} to downgrade()`,
      edits: [{ file: migration.path, edits: [...removal.edits, appendToFunction(text, downgrade, moved)] }],
      preferred: true,
    },
  ];
}
