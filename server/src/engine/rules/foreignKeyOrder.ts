import type { Fix, Report } from '../analysis/finding';
import type { OpCall } from '../migration/migrationFile';
import type { SourceText } from '../text/sourceText';
import type { MigrationRule } from './rule';

/** Moves `moved`'s whole lines to just before `before`'s first line. */
function moveBefore(text: SourceText, file: string, moved: OpCall, before: OpCall, title: string): Fix | undefined {
  if (!moved.statement || !before.statement) return undefined;
  const movedStart = text.lineStart(text.positionAt(moved.statement.span.start).line);
  const movedEnd = text.nextLineStart(text.positionAt(moved.statement.span.end).line);
  const at = text.lineStart(text.positionAt(before.statement.span.start).line);
  return {
    title,
    edits: [
      {
        file,
        edits: [
          { range: text.rangeOf(at, at), newText: text.text.slice(movedStart, movedEnd) },
          { range: text.rangeOf(movedStart, movedEnd), newText: '' },
        ],
      },
    ],
    preferred: true,
  };
}

export const foreignKeyOrder: MigrationRule = {
  code: 'AG508',
  name: 'fk-order',
  scope: 'migration',
  defaultSeverity: 'error',
  summary: 'a foreign key to a table created later in the same `upgrade()`, or a parent dropped before its child',
  docs: {
    whatItDoes:
      'Flags `create_table` of a table whose foreign key points at a table created later in the same `upgrade()`, and `drop_table` of a table while a table that references it is dropped only afterwards.',
    whyIsThisBad: 'PostgreSQL refuses both ("relation … does not exist"; "cannot drop table … because other objects depend on it"): the migration fails half-way on the first deploy.',
    example: 'op.create_table("accounts", sa.Column("user_id", sa.ForeignKey("users.id")), ...)\nop.create_table("users", ...)',
    useInstead: 'op.create_table("users", ...)\nop.create_table("accounts", sa.Column("user_id", sa.ForeignKey("users.id")), ...)',
    fix: 'Reorder: create the referenced table first; drop the referencing table first.',
    origin: 'A team that reset its database eight times over "circular dependencies… causing table creation order issues": "Create tables in dependency order… add circular FK constraints last".',
  },
  check({ migration, project, text }) {
    const reports: Report[] = [];
    const upgrade = migration.ops.filter((op) => op.phase === 'upgrade');
    const creates = upgrade.filter((op) => op.name === 'create_table' && op.table);
    for (const child of creates) {
      for (const parentTable of child.references) {
        const parent = creates.find((c) => c.table === parentTable && c.callSpan.start > child.callSpan.start);
        if (!parent || parentTable === child.table) continue;
        // Tables that reference each other have no order that works: moving one only turns the error around.
        const circular = parent.references.includes(child.table!);
        const fix = circular ? undefined : moveBefore(text, migration.path, parent, child, `Create "${parentTable}" before "${child.table}"`);
        reports.push({
          file: migration.path,
          range: text.rangeOf(child.callSpan.start, child.callSpan.end),
          message: circular
            ? `"${child.table}" and "${parentTable}" reference each other: whichever is created first, PostgreSQL rejects its foreign key; create one of the two foreign keys after both tables, with op.create_foreign_key`
            : `"${child.table}" references "${parentTable}", which this upgrade() creates only later: PostgreSQL rejects the foreign key`,
          fixes: fix ? [fix] : [],
        });
      }
    }
    const drops = upgrade.filter((op) => op.name === 'drop_table' && op.table);
    const referencesOf = (table: string) => creates.find((c) => c.table === table)?.references ?? project.createdTables.get(table)?.references ?? [];
    for (const parent of drops) {
      const child = drops.find((d) => d.callSpan.start > parent.callSpan.start && referencesOf(d.table!).includes(parent.table!) && d.table !== parent.table);
      if (!child) continue;
      const fix = moveBefore(text, migration.path, child, parent, `Drop "${child.table}" before "${parent.table}"`);
      reports.push({
        file: migration.path,
        range: text.rangeOf(parent.callSpan.start, parent.callSpan.end),
        message: `"${parent.table}" is dropped while "${child.table}", which references it, is dropped only afterwards: PostgreSQL refuses`,
        fixes: fix ? [fix] : [],
      });
    }
    return reports;
  },
};
