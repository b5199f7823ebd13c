import type { Report } from '../analysis/finding';
import { roundTripDifferences } from '../schema/roundTripDifferences';
import type { MigrationRule } from './rule';

export const downgradeNotInverse: MigrationRule = {
  code: 'AG302',
  name: 'downgrade-not-inverse',
  scope: 'migration',
  defaultSeverity: 'warning',
  summary: '`downgrade()` does not bring the schema back to what `upgrade()` started from',
  docs: {
    whatItDoes:
      'Replays `upgrade()` then `downgrade()` on the schema this revision starts from (every earlier revision replayed through the graph, with PostgreSQL\'s rules: a dropped column takes its indexes and constraints along, a dropped table its indexes) and reports each difference once, at the operation that made it: a table, column, index or constraint created and not removed; one dropped and not restored; a rename not reversed; a type or nullability changed and not put back, or changed by `downgrade()` although `upgrade()` never touched it; and anything `downgrade()` drops that existed before the upgrade. Objects are matched by name, by the name the database gives them by default, or by kind and columns. Silent when `downgrade()` is empty (AG301) or raises (a deliberate refusal), and when either function does something that cannot be read (SQL held in a variable, a DO block, a name held in a variable).',
    whyIsThisBad:
      'A partial downgrade leaves objects behind: the next `alembic upgrade` fails on "already exists", and a rollback during an incident stops half-way. A downgrade that drops what existed before the upgrade deletes data when it runs.',
    example: 'def upgrade() -> None:\n    op.add_column("users", sa.Column("phone", sa.String()))\n    op.create_index("ix_users_email", "users", ["email"])\n\ndef downgrade() -> None:\n    op.drop_column("users", "phone")',
    useInstead:
      'def downgrade() -> None:\n    op.drop_index("ix_users_email", table_name="users")\n    op.drop_column("users", "phone")\n\n# (an index on "phone" needs no drop of its own: dropping the column removes it)',
    fix: 'Insert the missing inverse operations at the start of `downgrade()` (it undoes the last operations first), when every one can be written with the real name of what it removes. Nothing that existed before the upgrade is ever dropped by the fix.',
    origin: "Teams' migration guides: \"Test rollback: alembic downgrade -1, then alembic upgrade head\" \u2014 the static form of pytest-alembic's up/down consistency test.",
  },
  check({ migration, project, text }) {
    const downgrade = migration.functions.find((f) => f.phase === 'downgrade');
    if (!downgrade || downgrade.isEmpty) return [];
    if (/^\s*raise\b/m.test(text.text.slice(downgrade.bodySpan.start, downgrade.bodySpan.end))) return [];
    const revision = project.graph.revisionOf(migration);
    const trip = revision && project.schema.roundTrip(revision.id);
    if (!trip) return [];
    // Write new strings in the quotes the migration already uses (autogenerate: single).
    const firstOp = migration.ops[0]?.source ?? '';
    const quote = /\(\s*'/.test(firstOp) ? "'" : '"';
    const differences = roundTripDifferences(trip, quote);
    if (!differences?.length) return [];
    const first = downgrade.statements[0];
    const insertAt = first ? text.lineStart(text.positionAt(first.start).line) : undefined;
    const inverses = [...differences].reverse().map((d) => d.inverse);
    const fix =
      insertAt !== undefined && inverses.every((l): l is string => l !== undefined)
        ? [
            {
              title: `Add the ${inverses.length} missing inverse operation${inverses.length === 1 ? '' : 's'} to downgrade()`,
              edits: [{ file: migration.path, edits: [{ range: text.rangeOf(insertAt, insertAt), newText: inverses.map((l) => downgrade.indent + l + text.eol).join('') }] }],
              // Each line removes only what this upgrade created: it cannot lose data that existed before.
              preferred: true,
            },
          ]
        : [];
    return differences.map(
      (difference): Report => ({
        file: migration.path,
        range: text.rangeOf(difference.source.span.start, difference.source.span.end),
        message: difference.message,
        fixes: fix,
      }),
    );
  },
};
