import { reindentStatement } from '../fixes/statementRemoval';
import { onPostgres } from '../project/alembicProject';
import { effectsOf } from '../schema/statementEffects';
import type { MigrationRule } from './rule';

export const enumValueInTransaction: MigrationRule = {
  code: 'AG506',
  name: 'enum-value-in-transaction',
  scope: 'migration',
  defaultSeverity: 'warning',
  summary: '`ALTER TYPE … ADD VALUE` outside `autocommit_block()`',
  docs: {
    whatItDoes: 'On PostgreSQL, flags `ALTER TYPE … ADD VALUE` run by a migration outside `with op.get_context().autocommit_block():`.',
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
      .filter((sql) => !sql.inAutocommit && effectsOf(sql).some((e) => e.kind === 'alter_type_add_value'))
      .map((sql) => {
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
          message:
            version !== undefined && version < 12
              ? `ALTER TYPE … ADD VALUE cannot run inside a transaction on PostgreSQL ${version}: run it in autocommit_block()`
              : 'the new enum value cannot be used until the transaction commits: run ALTER TYPE … ADD VALUE in autocommit_block()',
          fixes,
        };
      });
  },
};
