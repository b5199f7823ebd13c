import type { Fix } from '../analysis/finding';
import { appendToFunction } from '../fixes/functionBodyInsertion';
import { inverseOf, NEUTRAL_OPERATIONS } from '../fixes/inverseOperations';
import { AUTOGENERATE_END_MARKER, AUTOGENERATE_START_MARKER } from '../migration/migrationFile';
import { effectsOf } from '../schema/statementEffects';
import type { MigrationFile } from '../migration/migrationFile';
import type { AlembicProject } from '../project/alembicProject';
import type { SourceText } from '../text/sourceText';
import type { Report } from '../analysis/finding';
import type { SqlEffect } from '../sql/sqlStatements';
import type { MigrationRule } from './rule';

// An enum value PostgreSQL cannot take back (ALTER TYPE … ADD VALUE has no inverse): nothing for downgrade() to undo.
const DATA_STATEMENTS = new Set(['insert', 'update', 'delete', 'other', 'alter_type_add_value']);

/**
 * What one SQL string leaves behind: a scratch table it creates and drops again (`CREATE TEMPORARY
 * TABLE m …; UPDATE …; DROP TABLE m`), and its indexes, leave nothing for downgrade() to undo.
 */
function lastingEffects(effects: SqlEffect[]): SqlEffect[] {
  // A temporary table (and what is built on it) vanishes with the session, dropped or not.
  const temporary = new Set(effects.flatMap((e) => (e.kind === 'create_table' && e.temporary ? [e.table] : [])));
  return effects.filter((e) => {
    if (e.kind === 'drop_table') return !e.tables.every((t) => temporary.has(t));
    return !('table' in e && typeof e.table === 'string' && temporary.has(e.table));
  });
}

export const emptyDowngrade: MigrationRule = {
  code: 'AG301',
  name: 'empty-downgrade',
  scope: 'migration',
  defaultSeverity: 'warning',
  summary: '`downgrade()` is empty or `pass` while `upgrade()` changes the schema',
  docs: {
    whatItDoes:
      'Flags a `downgrade()` that does nothing (`pass`, `...`, a docstring) when `upgrade()` changes the schema, and a migration with no `downgrade()` at all in a project whose other migrations have one. Merge revisions (several parents) and a downgrade whose comment or docstring explains the deliberate no-op (such as an enum value PostgreSQL cannot remove) are not reported.',
    whyIsThisBad:
      '`alembic downgrade -1` then "succeeds" without undoing anything: the database and the recorded revision disagree, and the next upgrade fails or, worse, runs on a schema it does not expect. Rolling back during an incident is exactly when this is discovered.',
    example: 'def upgrade() -> None:\n    op.add_column("users", sa.Column("phone", sa.String(), nullable=True))\n\ndef downgrade() -> None:\n    pass',
    useInstead: 'def downgrade() -> None:\n    op.drop_column("users", "phone")\n\n# or, when it cannot be undone:\ndef downgrade() -> None:\n    raise NotImplementedError("phone numbers cannot be restored")',
    fix: 'Generate the inverse of every upgrade operation in reverse order (create_table → drop_table, add_column → drop_column, create_index → drop_index, create constraint → drop_constraint, renames back, and a dropped index or constraint re-created from the migration that created it), or make downgrade() raise NotImplementedError.',
    origin: "Teams' migration guides: \"Test rollback: alembic downgrade -1\", \"Is the migration reversible (downgrade works)?\"; a downgrade that does nothing is found out during an incident.",
  },
  check({ migration, project, text }) {
    const downgrade = migration.functions.find((f) => f.phase === 'downgrade');
    const parents = migration.downRevision?.value;
    if (Array.isArray(parents) && parents.length > 1) return [];
    if (!downgrade) return missingDowngrade(migration, project, text);
    if (!downgrade.isEmpty) return [];
    const explained =
      migration.comments.some(
        (c) =>
          c.span.start >= downgrade.definitionSpan.start &&
          c.span.end <= downgrade.definitionSpan.end &&
          !AUTOGENERATE_START_MARKER.test(c.text) &&
          !AUTOGENERATE_END_MARKER.test(c.text),
      ) || explainsItself(text.text.slice(downgrade.bodySpan.start, downgrade.bodySpan.end));
    if (explained) return [];
    const changes = migration.ops.filter((op) => op.phase === 'upgrade' && !NEUTRAL_OPERATIONS.has(op.name) && op.name !== 'execute' && op.name !== 'bulk_insert');
    const ddlSql = migration.sql.some((s) => s.phase === 'upgrade' && lastingEffects(effectsOf(s)).some((e) => !DATA_STATEMENTS.has(e.kind)));
    if (!changes.length && !ddlSql) return [];
    const fixes: Fix[] = [];
    const inverses = ddlSql ? [] : changes.map((op) => inverseOf(op, project.createdObjects));
    if (inverses.length && inverses.every((line): line is string => line !== undefined)) {
      fixes.push({
        title: 'Generate downgrade() from upgrade() (inverse operations, reverse order)',
        edits: [{ file: migration.path, edits: [appendToFunction(text, downgrade, inverses.reverse().map((line) => downgrade.indent + line))] }],
        preferred: true,
      });
    }
    fixes.push({
      title: 'Make downgrade() refuse to run (raise NotImplementedError)',
      edits: [
        {
          file: migration.path,
          edits: [appendToFunction(text, downgrade, [`${downgrade.indent}raise NotImplementedError("This migration cannot be reversed automatically")`])],
        },
      ],
    });
    return [
      {
        file: migration.path,
        range: text.rangeOf(downgrade.definitionSpan.start, downgrade.headerEnd),
        message: `downgrade() does nothing although upgrade() makes ${changes.length || 'SQL'} schema change${changes.length === 1 ? '' : 's'}: "alembic downgrade" would silently leave them`,
        fixes,
      },
    ];
  },
};

/**
 * A docstring that says why nothing is undone ("We aren't going to recreate the table: …") is a
 * decision written down, as a comment is; "Do nothing" or "Downgrade" says nothing.
 */
function explainsItself(body: string): boolean {
  const docstring = /^\s*[uUrR]?("""|'''|"|')([\s\S]*?)\1/.exec(body)?.[2];
  if (docstring && docstring.trim().split(/\s+/).length >= 6) return true;
  // A downgrade that prints why it does nothing has said so.
  return /\b(print|warn(ing)?|info)\s*\(\s*[fFrRuU]?["'][^"']*\b(not|no|cannot|can't|irreversible|manual)\b/i.test(body);
}

/**
 * No `downgrade()` at all: reported where the project's other migrations have one (its
 * convention), not in projects that never write downgrades (OpenStack's, for one).
 */
function missingDowngrade(migration: MigrationFile, project: AlembicProject, text: SourceText): Report[] {
  const upgrade = migration.functions.find((f) => f.phase === 'upgrade');
  if (!upgrade) return [];
  const others = project.migrations.filter((m) => m !== migration);
  const withDowngrade = others.filter((m) => m.functions.some((f) => f.phase === 'downgrade')).length;
  if (withDowngrade * 2 <= others.length) return [];
  const changes = migration.ops.some((op) => op.phase === 'upgrade' && !NEUTRAL_OPERATIONS.has(op.name) && op.name !== 'bulk_insert') || migration.sql.some((s) => s.phase === 'upgrade');
  if (!changes) return [];
  return [
    {
      file: migration.path,
      range: text.rangeOf(upgrade.definitionSpan.start, upgrade.headerEnd),
      message: 'this migration has no downgrade() although the project\'s other migrations do: "alembic downgrade" through it fails',
      fixes: [],
    },
  ];
}
