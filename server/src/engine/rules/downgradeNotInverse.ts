import type { Report } from '../analysis/finding';
import { inverseOf } from '../fixes/inverseOperations';
import type { OpCall } from '../migration/migrationFile';
import type { MigrationRule } from './rule';

const literal = (op: OpCall, key: string) => {
  const value = op.arguments.get(key)?.value;
  return typeof value === 'string' ? value : undefined;
};

/** Whether `candidate` (in downgrade) undoes `op` (in upgrade). */
function undoes(op: OpCall, candidate: OpCall): boolean {
  switch (op.name) {
    case 'create_table':
      return candidate.name === 'drop_table' && candidate.table === op.table;
    case 'add_column':
      return candidate.name === 'drop_column' && candidate.table === op.table && literal(candidate, 'column_name') === op.columns[0];
    case 'create_index':
      return candidate.name === 'drop_index' && literal(candidate, 'index_name') === literal(op, 'index_name');
    case 'create_unique_constraint':
    case 'create_foreign_key':
    case 'create_primary_key':
    case 'create_check_constraint':
      return candidate.name === 'drop_constraint' && literal(candidate, 'constraint_name') === literal(op, 'constraint_name');
    case 'rename_table':
      return candidate.name === 'rename_table' && candidate.table === literal(op, 'new_table_name');
    case 'alter_column': {
      // A rename is undone by the reverse rename; any other change by altering that column back.
      const now = literal(op, 'new_column_name') ?? literal(op, 'column_name');
      return candidate.name === 'alter_column' && candidate.table === op.table && literal(candidate, 'column_name') === now;
    }
    default:
      return true;
  }
}

export const downgradeNotInverse: MigrationRule = {
  code: 'AG302',
  name: 'downgrade-not-inverse',
  scope: 'migration',
  defaultSeverity: 'warning',
  summary: 'an `upgrade()` operation with no inverse in `downgrade()`',
  docs: {
    whatItDoes:
      'Flags each constructive operation of `upgrade()` (create table, add column, create index or constraint, rename) that `downgrade()` does not undo, when `downgrade()` does something (an empty one is AG301; one that raises is a deliberate refusal).',
    whyIsThisBad:
      'A partial downgrade leaves objects behind: the next `alembic upgrade` fails on "already exists", and a rollback during an incident stops half-way.',
    example: 'def upgrade() -> None:\n    op.add_column("users", sa.Column("phone", sa.String()))\n    op.create_index("ix_users_phone", "users", ["phone"])\n\ndef downgrade() -> None:\n    op.drop_column("users", "phone")',
    useInstead: 'def downgrade() -> None:\n    op.drop_index("ix_users_phone", table_name="users")\n    op.drop_column("users", "phone")',
    fix: 'Insert the missing inverse operations at the start of `downgrade()` (it undoes the last operations first).',
    origin: 'Seeds 001, 002 and 003: "Test rollback: alembic downgrade -1, then alembic upgrade head".',
  },
  check({ migration, project, text }) {
    const downgrade = migration.functions.find((f) => f.phase === 'downgrade');
    if (!downgrade || downgrade.isEmpty) return [];
    if (/^\s*raise\b/m.test(text.text.slice(downgrade.bodySpan.start, downgrade.bodySpan.end))) return [];
    const undo = migration.ops.filter((op) => op.phase === 'downgrade');
    // Dropping a table in downgrade() undoes everything upgrade() did to it.
    const droppedTables = new Set(undo.filter((op) => op.name === 'drop_table').map((op) => op.table));
    const missing = migration.ops.filter(
      (op) => op.phase === 'upgrade' && !op.batched && !(op.table && op.name !== 'rename_table' && droppedTables.has(op.table)) && !undo.some((candidate) => undoes(op, candidate)),
    );
    if (!missing.length) return [];
    const first = downgrade.statements[0];
    const lines = [...missing].reverse().map((op) => inverseOf(op, project.createdObjects));
    const insertAt = first ? text.lineStart(text.positionAt(first.start).line) : undefined;
    const fix =
      insertAt !== undefined && lines.every((l): l is string => l !== undefined)
        ? [
            {
              title: `Add the ${lines.length} missing inverse operation${lines.length === 1 ? '' : 's'} to downgrade()`,
              edits: [{ file: migration.path, edits: [{ range: text.rangeOf(insertAt, insertAt), newText: lines.map((l) => downgrade.indent + l + text.eol).join('') }] }],
              preferred: true,
            },
          ]
        : [];
    return missing.map(
      (op): Report => ({
        file: migration.path,
        range: text.rangeOf(op.callSpan.start, op.callSpan.end),
        message: `downgrade() does not undo ${op.receiver}.${op.name}(${op.table ? `"${op.table}"` : ''}): "alembic downgrade" would leave it behind`,
        fixes: fix,
      }),
    );
  },
};
