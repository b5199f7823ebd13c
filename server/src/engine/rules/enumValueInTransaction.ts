import { reindentStatement } from '../fixes/statementRemoval';
import { onPostgres } from '../project/alembicProject';
import type { AlembicProject } from '../project/alembicProject';
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
    whatItDoes: 'On PostgreSQL, flags `ALTER TYPE … ADD VALUE` run by a migration outside `with op.get_context().autocommit_block():` (or after an explicit `op.execute("COMMIT")`, which ends the transaction): a warning when a later statement of the same migration uses the new value, or a later revision does while env.py leaves `transaction_per_migration` unset (one `alembic upgrade` then runs them in one transaction) (or `postgres-version` is below 12, where the statement cannot run in a transaction at all), information otherwise (PostgreSQL 12 and later run it, and the value can be used once the migration commits). Nothing where env.py opens the connection with `isolation_level="AUTOCOMMIT"`.',
    whyIsThisBad:
      'Before PostgreSQL 12 the statement cannot run in a transaction at all. From 12 on it runs, but the new value cannot be used until the transaction commits: a later statement of the same migration that uses it fails ("unsafe use of new value").',
    example: 'op.execute("ALTER TYPE user_status ADD VALUE \'suspended\'")',
    useInstead: 'with op.get_context().autocommit_block():\n    op.execute("ALTER TYPE user_status ADD VALUE IF NOT EXISTS \'suspended\'")',
    fix: 'Wrap the statement in `autocommit_block()`.',
    origin: "A team's guide to adding an enum value: `op.execute(\"ALTER TYPE user_status ADD VALUE 'suspended'\")`, which PostgreSQL restricts inside a transaction.",
  },
  check({ migration, project, text }) {
    // A connection in AUTOCOMMIT runs no migration in a transaction: each statement commits at once.
    if (!onPostgres(project) || project.env?.autocommit) return [];
    const version = project.guard.postgresVersion;
    // Without transaction_per_migration, one `alembic upgrade` runs every pending revision in one transaction.
    const later = project.env?.transactionPerMigration ? [] : laterRevisions(project, migration);
    return migration.sql
      .filter((sql) => !sql.inAutocommit && !committedBefore(migration, sql) && effectsOf(sql).some((e) => e.kind === 'alter_type_add_value'))
      .map((sql) => {
        const values = effectsOf(sql).flatMap((e) => (e.kind === 'alter_type_add_value' && e.value ? [e.value] : []));
        const usedHere = values.find((value) => usedAfter(migration, value, sql.callSpan.end));
        const inRevision = usedHere ? undefined : values.map((value) => ({ value, revision: later.find((m) => usedAfter(m, value, 0)) })).find((u) => u.revision);
        const usedLater = usedHere ?? inRevision?.value;
        const where = usedHere
          ? 'later in this migration'
          : `by revision ${inRevision?.revision?.revision?.value}, which runs in the same transaction when one \`alembic upgrade\` applies both (env.py does not set transaction_per_migration=True)`;
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
              ? `'${usedLater}' is used ${where}, before the transaction that adds it commits: PostgreSQL refuses it ("unsafe use of new enum value"); run ALTER TYPE … ADD VALUE in autocommit_block()`
              : 'ALTER TYPE … ADD VALUE runs in the migration\'s transaction: fine on PostgreSQL 12 and later, where the value is usable once it commits; PostgreSQL 11 and older refuse it there (autocommit_block() works on both)',
          severity: tooOld || usedLater ? undefined : ('info' as const),
          fixes,
        };
      });
  },
};

/** The revisions after this one on its branches (its descendants), which one upgrade may apply together with it. */
function laterRevisions(project: AlembicProject, migration: MigrationFile): MigrationFile[] {
  const revision = project.graph.revisionOf(migration);
  if (!revision) return [];
  const seen = new Set<string>();
  const pending = [...revision.children];
  const found: MigrationFile[] = [];
  while (pending.length) {
    const id = pending.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const child = project.graph.get(id);
    if (!child) continue;
    found.push(child.migration);
    pending.push(...child.children);
  }
  return found;
}

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
