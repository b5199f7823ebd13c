import type { Fix, TextEdit } from '../analysis/finding';
import type { MigrationFile, OpCall, StatementPlace } from '../migration/migrationFile';
import { createdName, droppedName } from '../migration/objectNames';
import type { SourceText } from '../text/sourceText';
import { appendToFunction } from './functionBodyInsertion';
import { reindentStatement, removeStatements } from './statementRemoval';

export interface DropToUndo {
  /** "table \"session\"", "column \"users.phone\"": what the fix titles name. */
  label: string;
  statement: StatementPlace | undefined;
  batched: boolean;
  /** Drops that belong to this one (a table's index drops), removed or moved with it. */
  companions?: DropRemoval[];
}

export interface DropRemoval {
  statement: StatementPlace;
  isRecreate: (op: OpCall) => boolean;
}

const CREATE_OF: Record<string, string[]> = {
  drop_index: ['create_index'],
  drop_constraint: ['create_foreign_key', 'create_unique_constraint', 'create_primary_key', 'create_check_constraint'],
};

/**
 * The index and constraint drops autogenerate writes just before dropping their table, and
 * the re-creates it writes after the table's create_table in downgrade(): one operation
 * with the table drop, undone with it.
 */
export function tableDropCompanions(migration: MigrationFile, table: string): DropRemoval[] {
  return migration.ops
    .filter((op) => op.phase === 'upgrade' && op.table === table && !op.batched && op.statement && (op.name === 'drop_index' || op.name === 'drop_constraint'))
    .map((drop) => ({
      statement: drop.statement!,
      isRecreate: (op: OpCall) => CREATE_OF[drop.name].includes(op.name) && droppedName(drop) !== undefined && createdName(op) === droppedName(drop),
    }));
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
  const companions = drop.companions ?? [];
  const removal = removeDropEdits(migration, text, [...companions, { statement: drop.statement, isRecreate }]);
  if (removal.removedRecreate) {
    return [
      {
        title: `Remove the drop of ${drop.label} and its re-create in downgrade()`,
        edits: [{ file: migration.path, edits: removal.edits }],
        preferred: true,
      },
    ];
  }
  // An accidental drop is undone by deleting it, which cannot lose data: the preferred fix. Moving it
  // to downgrade() would make a rollback drop something that existed before this upgrade, so it is
  // offered, never preferred.
  const remove: Fix = { title: `Remove the drop of ${drop.label} from upgrade()`, edits: [{ file: migration.path, edits: removal.edits }], preferred: true };
  const downgrade = migration.functions.find((f) => f.phase === 'downgrade');
  if (drop.batched || !downgrade) return [remove];
  // The drop and its companions keep their order when they move.
  const moved = [...companions.map((c) => c.statement), drop.statement]
    .sort((a, b) => a.span.start - b.span.start)
    .flatMap((statement) => reindentStatement(text, statement.span, downgrade.indent));
  return [
    remove,
    {
      title: `Move the drop of ${drop.label} to downgrade()`,
      edits: [{ file: migration.path, edits: [...removal.edits, appendToFunction(text, downgrade, moved)] }],
    },
  ];
}
