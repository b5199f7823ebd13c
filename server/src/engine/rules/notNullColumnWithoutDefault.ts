import { upgradeMaySkipItself } from '../analysis/conditionalUpgrade';
import { createdInSameChange } from '../analysis/sameChange';
import type { Fix } from '../analysis/finding';
import { createdEarlierInUpgrade } from '../analysis/upgradeContext';
import { runsAt } from '../migration/executionOrder';
import type { OpCall } from '../migration/migrationFile';
import { databaseOfCode } from '../analysis/codeBranch';
import type { Dialect } from '../project/guardConfig';
import type { MigrationRule } from './rule';

/** A server default that suits the column's type, written as SQLAlchemy accepts it. */
export function defaultFor(typeSource: string | undefined): { python: string; sql: string } {
  const type = (typeSource ?? '').replace(/^(sa|sqlalchemy|postgresql|mysql)\./, '');
  if (/^(Boolean|BOOLEAN)/.test(type)) return { python: 'sa.false()', sql: 'false' };
  if (/^(Integer|BigInteger|SmallInteger|INTEGER|BIGINT|SMALLINT|Numeric|NUMERIC|Float|FLOAT|DECIMAL)/.test(type)) return { python: "'0'", sql: '0' };
  if (/^(DateTime|TIMESTAMP|Date|DATE)/.test(type)) return { python: 'sa.func.now()', sql: 'now()' };
  if (/^(JSON|JSONB)/.test(type)) return { python: "'{}'", sql: "'{}'" };
  return { python: "''", sql: "''" };
}

const DATABASE_NAMES: Record<Dialect, string> = { postgresql: 'PostgreSQL', mysql: 'MySQL', sqlite: 'SQLite', mssql: 'SQL Server', oracle: 'Oracle' };

export const notNullColumnWithoutDefault: MigrationRule = {
  code: 'AG501',
  name: 'not-null-column-without-default',
  scope: 'migration',
  defaultSeverity: 'error',
  summary: '`add_column(nullable=False)` without `server_default` on a table that existed before',
  docs: {
    whatItDoes: 'Flags `add_column` of a `nullable=False` column without `server_default`, on a table this migration did not create. Not on MySQL (the project\'s `dialect` or URL, or a branch for it), which fills existing rows with the type\'s implicit default. Where git can be asked (the command line, a trusted workspace), a table an earlier revision of the same change created (both files added in one commit, or neither committed yet) is new too, and empty wherever the migration runs.',
    whyIsThisBad: 'PostgreSQL must fill the new column for every existing row; with no default it refuses ("column … contains null values") and the deploy fails on any table that has rows — which is every production table, never the empty development one.',
    example: 'op.add_column("users", sa.Column("credits", sa.Integer(), nullable=False))',
    useInstead:
      '# a server default (cheap since PostgreSQL 11)\nop.add_column("users", sa.Column("credits", sa.Integer(), nullable=False, server_default="0"))\n# or add it nullable, backfill, then set NOT NULL\nop.add_column("users", sa.Column("credits", sa.Integer(), nullable=True))\nop.execute("UPDATE users SET credits = 0 WHERE credits IS NULL")\nop.alter_column("users", "credits", nullable=False)',
    fix: 'Add a `server_default` suited to the type, or split into add-nullable + backfill + `alter_column(nullable=False)`.',
    origin: "Teams' migration guides: \"Use ADD COLUMN with defaults for new fields\", or add it nullable, backfill, then set NOT NULL.",
  },
  check({ migration, project, text, mayRunGit }) {
    // Whether the table has rows when an upgrade that may skip itself runs (a replay for fresh databases), nobody can tell.
    if (upgradeMaySkipItself(migration)) return [];
    const databaseOf = (op: OpCall) => databaseOfCode(project, op.guard) ?? 'postgresql';
    return migration.ops
      .filter((op): op is OpCall & { column: NonNullable<OpCall['column']> } => op.phase === 'upgrade' && op.name === 'add_column' && !!op.column && !!op.table)
      // MySQL fills the new column of existing rows with its type's implicit default (0, ''): nothing fails there.
      .filter((op) => databaseOf(op) !== 'mysql')
      .filter((op) => op.column.options.get('nullable') === 'False' && !op.column.options.has('server_default') && !createdEarlierInUpgrade(migration, op.table!, runsAt(op)) && !createdInSameChange(project, migration, op.table!, op.schema, mayRunGit))
      .map((op) => {
        const column = op.column;
        const value = defaultFor(column.typeSource);
        const fixes: Fix[] = [
          {
            title: `Add server_default=${value.python} to "${column.name}"`,
            edits: [{ file: migration.path, edits: [{ range: text.rangeOf(column.lastArgumentEnd, column.lastArgumentEnd), newText: `, server_default=${value.python}` }] }],
            preferred: true,
          },
        ];
        if (op.statement && !op.batched) {
          const line = text.positionAt(op.statement.span.start).line;
          const indent = text.indentationOf(line);
          const statementText = text.text.slice(op.statement.span.start, op.statement.span.end);
          const nullableAt = statementText.search(/nullable\s*=\s*False/);
          const nullable = statementText.slice(0, nullableAt) + statementText.slice(nullableAt).replace(/nullable\s*=\s*False/, 'nullable=True');
          const tableArg = op.arguments.get('table_name')!.text;
          const quote = tableArg.startsWith("'") ? "'" : '"';
          fixes.push({
            title: `Add "${column.name}" nullable, backfill it, then set NOT NULL`,
            edits: [
              {
                file: migration.path,
                edits: [
                  {
                    range: text.rangeOf(op.statement.span.start, op.statement.span.end),
                    newText: [
                      nullable,
                      `${indent}op.execute(${quote}UPDATE ${op.table} SET ${column.name} = ${value.sql.replace(new RegExp(quote, 'g'), quote === "'" ? "\\'" : '\\"')} WHERE ${column.name} IS NULL${quote})`,
                      `${indent}op.alter_column(${tableArg}, ${quote}${column.name}${quote}, nullable=False)`,
                    ].join(text.eol),
                  },
                ],
              },
            ],
          });
        }
        return {
          file: migration.path,
          range: text.rangeOf(op.callSpan.start, op.callSpan.end),
          message: `"${op.table}.${column.name}" is added NOT NULL without a server_default: ${DATABASE_NAMES[databaseOf(op)]} rejects it as soon as "${op.table}" has rows`,
          fixes,
        };
      });
  },
};
