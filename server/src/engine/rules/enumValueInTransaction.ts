import { reindentStatement } from '../fixes/statementRemoval';
import { onPostgres } from '../project/alembicProject';
import { effectsOf } from '../schema/statementEffects';
import type { MigrationFile } from '../migration/migrationFile';
import { escapeRegExp } from '../text/wordPattern';
import type { MigrationRule } from './rule';

export const enumValueInTransaction: MigrationRule = {
  code: 'AG506',
  name: 'enum-value-in-transaction',
  scope: 'migration',
  defaultSeverity: 'warning',
  summary: '`ALTER TYPE … ADD VALUE` outside `autocommit_block()`',
  docs: {
    whatItDoes: 'On PostgreSQL, flags `ALTER TYPE … ADD VALUE` run by a migration outside `with op.get_context().autocommit_block():` (or after an explicit `op.execute("COMMIT")`, which ends the transaction): a warning when a later statement of the same migration uses the new value (or `postgres-version` is below 12, where the statement cannot run in a transaction at all), information otherwise (PostgreSQL 12 and later run it, and the value can be used once the migration commits).',
    whyIsThisBad:
      'Before PostgreSQL 12 the statement cannot run in a transaction at all. From 12 on it runs, but the new value cannot be used until the transaction commits: a later statement of the same migration that uses it fails ("unsafe use of new value").',
    example: 'op.execute("ALTER TYPE user_status ADD VALUE \'suspended\'")',
    useInstead: 'with op.get_context().autocommit_block():\n    op.execute("ALTER TYPE user_status ADD VALUE IF NOT EXISTS \'suspended\'")',
    fix: 'Wrap the statement in `autocommit_block()`.',
    origin: 'Seed 002, "Adding an ENUM Value": `op.execute("ALTER TYPE user_status ADD VALUE \'suspended\'")` with a `pass` downgrade.',
  },
  check({ migration, project, text }) {
    if (!onPostgres(project)) return [];
    const version = project.guard.postgresVersion;
    return migration.sql
      .filter((sql) => !sql.inAutocommit && !committedBefore(migration, sql) && effectsOf(sql).some((e) => e.kind === 'alter_type_add_value'))
      .map((sql) => {
        const values = effectsOf(sql).flatMap((e) => (e.kind === 'alter_type_add_value' && e.value ? [e.value] : []));
        const usedLater = values.find((value) => usedAfter(migration, value, sql.callSpan.end));
        const tooOld = version !== undefined && version < 12;
        const fixes = [];
        if (sql.statement) {
          const line = text.positionAt(sql.statement.span.start).line;
          const indent = text.indentationOf(line);
          const wrapped = [`${indent}with op.get_context().autocommit_block():`, ...reindentStatement(text, sql.statement.span, indent + '    ')];
          fixes.push({
            title: 'Run it in autocommit_block()',
            edits: [{ file: migration.path, edits: [{ range: text.rangeOf(text.lineStart(line), sql.statement.span.end), newText: wrapped.join(text.eol) }] }],
            preferred: true,
          });
        }
        return {
          file: migration.path,
          range: text.rangeOf(sql.callSpan.start, sql.callSpan.end),
          message: tooOld
            ? `ALTER TYPE … ADD VALUE cannot run inside a transaction on PostgreSQL ${version}: run it in autocommit_block()`
            : usedLater
              ? `'${usedLater}' is used later in this migration, before the transaction that adds it commits: PostgreSQL refuses it ("unsafe use of new enum value"); run ALTER TYPE … ADD VALUE in autocommit_block()`
              : 'ALTER TYPE … ADD VALUE runs in the migration\'s transaction: fine on PostgreSQL 12 and later, where the value is usable once it commits; PostgreSQL 11 and older refuse it there (autocommit_block() works on both)',
          severity: tooOld || usedLater ? undefined : ('info' as const),
          fixes,
        };
      });
  },
};

/** Whether a statement of upgrade() after `offset` uses the enum value: the value as a string literal in SQL or in an operation. */
function usedAfter(migration: MigrationFile, value: string, offset: number): boolean {
  const literal = new RegExp(`['"]${escapeRegExp(value)}['"]`);
  return (
    migration.sql.some((s) => s.phase === 'upgrade' && s.callSpan.start >= offset && literal.test(s.sql)) ||
    migration.ops.some((op) => op.phase === 'upgrade' && op.callSpan.start >= offset && op.name !== 'execute' && literal.test(op.source)) ||
    migration.executedExpressions.some((e) => e.phase === 'upgrade' && e.callSpan.start >= offset && literal.test(e.source))
  );
}

/**
 * `op.execute("COMMIT")` earlier in the same function (the old workaround before autocommit_block):
 * the migration's transaction is over, and what follows runs outside one.
 */
function committedBefore(migration: MigrationFile, sql: { phase: string | undefined; callSpan: { start: number } }): boolean {
  return migration.sql.some((s) => s.phase === sql.phase && s.callSpan.start < sql.callSpan.start && /^\s*(COMMIT|END)(\s+(WORK|TRANSACTION))?\s*;?\s*$/i.test(s.sql));
}
