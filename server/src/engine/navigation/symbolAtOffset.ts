import type { MigrationFile } from '../migration/migrationFile';
import type { Span } from '../python/syntax';

const TABLE_ARGUMENTS = new Set(['table_name', 'source_table', 'referent_table', 'old_table_name', 'new_table_name']);

/** What a position in a migration points at: a revision id, a table name, or nothing. */
export type MigrationSymbol = { kind: 'revision'; id: string; span: Span; field: string } | { kind: 'table'; table: string; span: Span } | undefined;

export function symbolAt(migration: MigrationFile, offset: number): MigrationSymbol {
  const inside = (span: Span) => span.start <= offset && offset <= span.end;
  for (const [field, assigned] of [
    ['revision', migration.revision],
    ['down_revision', migration.downRevision],
    ['depends_on', migration.dependsOn],
  ] as const) {
    const literal = assigned?.strings.find((s) => inside(s.span));
    if (literal) return { kind: 'revision', id: literal.value, span: literal.span, field };
  }
  for (const op of migration.ops) {
    if (!inside(op.callSpan)) continue;
    for (const [name, argument] of op.arguments) {
      if (TABLE_ARGUMENTS.has(name) && typeof argument.value === 'string' && inside(argument.span)) return { kind: 'table', table: argument.value, span: argument.span };
    }
  }
  return undefined;
}
