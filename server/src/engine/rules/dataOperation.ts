import type { Report } from '../analysis/finding';
import { createdEarlierInUpgrade } from '../analysis/upgradeContext';
import { runsAt } from '../migration/executionOrder';
import { protectionOf } from '../project/alembicProject';
import type { Span } from '../python/syntax';
import { boundInCaller } from '../migration/helperBindings';
import { effectsOf } from '../schema/statementEffects';
import type { MigrationRule } from './rule';

const EXPRESSION_DML = /(\.|\b)(update|insert|delete)\s*\(/;

export const dataOperation: MigrationRule = {
  code: 'AG401',
  name: 'data-operation',
  scope: 'migration',
  defaultSeverity: 'warning',
  summary: 'UPDATE/INSERT/DELETE via `op.execute`, `sa.text`, `bulk_insert`, `conn.execute` or an ORM session (policy: `data-migrations`)',
  docs: {
    whatItDoes:
      'Flags data changes in `upgrade()`: UPDATE, INSERT and DELETE statements (SQL parsed by PostgreSQL\'s own parser) run through `op.execute`, `conn.execute`, `sa.text`, SQLAlchemy expressions such as `users.update()`, `op.bulk_insert`, and writes through an ORM session (`session.add`, `merge`, `delete`, `bulk_save_objects`, `session.query(X).update(...)` also through a query kept in a variable, and `commit()` after rows loaded through it were changed). SQL kept in a variable or put together with an f-string, `+`, `%` or `.format()` is read too, and so are helper functions of the migration that `upgrade()` calls. A batched backfill (updates or inserts in a loop) is reported once, as information, and a loop that deletes rows once, as a warning; so are the backfill of a column the same upgrade added and constant configuration rows (INSERT … VALUES of constants, `bulk_insert` of a literal list). Writes into a table the same upgrade created are its initial contents and are not reported. `data-migrations = "forbid" | "warn" | "allow"` in `[tool.alembic-guard]` sets the policy: forbid makes these errors, allow turns the rule off.',
    whyIsThisBad:
      'Data changes hold row locks inside the migration\'s transaction, run for as long as the table is big, and are not undone by `alembic downgrade`. Mixed into schema migrations they are easy to miss in review, and a `WHERE` written against development data behaves differently in production.',
    example: 'def upgrade() -> None:\n    op.execute("UPDATE users SET credits = 0")',
    useInstead: '# add nullable → backfill (reviewed, batched) → set NOT NULL, each step visible\nop.add_column("users", sa.Column("credits", sa.Integer(), nullable=True))\nop.execute("UPDATE users SET credits = 0 WHERE credits IS NULL")\nop.alter_column("users", "credits", nullable=False)\n# or, under a forbid policy, a script of its own (backend/scripts/sql/)',
    fix: 'Not mechanical: keep it deliberate (ignore with a reason), or move it to a data script when the project forbids data migrations.',
    origin: "A team's rule after mixing data fixes into migrations: \"Migrations are ONLY for schema changes (DDL). Data operations go in backend/scripts/sql/\"; others teach the add-nullable, backfill, set NOT NULL pattern.",
  },
  check({ migration, project, text }) {
    if (project.guard.dataMigrations === 'allow') return [];
    const reports: Report[] = [];
    const forbid = project.guard.dataMigrations === 'forbid';
    const reportedLoops = new Set<number>();
    /**
     * `minor`: a backfill of a column this upgrade added, or constant configuration rows:
     * information under the default policy. `deletes`: rows removed, never a backfill.
     */
    const report = (span: Span, loop: Span | undefined, what: string, minor = false, deletes = false) => {
      if (loop) {
        if (reportedLoops.has(loop.start)) return;
        reportedLoops.add(loop.start);
        reports.push({
          file: migration.path,
          range: text.rangeOf(loop.start, text.lineEnd(text.positionAt(loop.start).line)),
          message: deletes ? `upgrade() deletes rows in a loop (${what})` : `upgrade() backfills data in a loop (${what}): a batched data migration`,
          fixes: [],
          severity: forbid ? 'error' : deletes ? undefined : 'info',
        });
        return;
      }
      reports.push({
        file: migration.path,
        range: text.rangeOf(span.start, span.end),
        message: `upgrade() changes data: ${what}${forbid ? ' (data-migrations = "forbid": move it to a data script)' : ''}`,
        fixes: [],
        severity: forbid ? 'error' : minor ? 'info' : undefined,
      });
    };
    // Rows written into a table this upgrade created are its initial contents, not a data migration.
    const isNew = (table: string, offset: number) => createdEarlierInUpgrade(migration, table, offset);
    // Columns this upgrade added before `offset` (to `table`, or to any table when an expression does not say which).
    const addedColumns = (offset: number, table?: string) =>
      migration.ops.filter((op) => op.phase === 'upgrade' && op.name === 'add_column' && (table === undefined || op.table === table) && runsAt(op) < offset).flatMap((op) => op.columns);
    for (const sql of migration.sql) {
      if (sql.phase !== 'upgrade') continue;
      for (const effect of effectsOf(sql)) {
        if (effect.kind !== 'update' && effect.kind !== 'insert' && effect.kind !== 'delete') continue;
        // DELETE without WHERE is AG106's; any change to a protected table is AG104's.
        if ((effect.kind === 'delete' && !effect.hasWhere) || protectionOf(project, effect.table)) continue;
        if (isNew(effect.table, runsAt(sql))) continue;
        if (effect.kind === 'update' && effect.columns?.length) {
          const added = addedColumns(runsAt(sql), effect.table);
          if (effect.columns.every((c) => added.includes(c))) {
            report(sql.callSpan, sql.loop, `UPDATE ${effect.table} fills in ${effect.columns.join(', ')}, added by this upgrade`, true);
            continue;
          }
        }
        if (effect.kind === 'insert' && effect.constantRows !== undefined) {
          report(sql.callSpan, sql.loop, `INSERT of ${effect.constantRows} constant row${effect.constantRows === 1 ? '' : 's'} into ${effect.table}`, true);
          continue;
        }
        report(sql.callSpan, sql.loop, `${effect.kind.toUpperCase()} ${effect.table}`, false, effect.kind === 'delete');
      }
    }
    for (const expression of migration.executedExpressions) {
      if (expression.phase !== 'upgrade') continue;
      const match = EXPRESSION_DML.exec(expression.source);
      if (!match) continue;
      // `project.insert()` where `project = sa.Table("project", meta, autoload_with=bind)` and the upgrade created "project".
      const receiver = /^\s*(\w+)\s*\.\s*(?:insert|update|delete)\s*\(/.exec(expression.source)?.[1];
      const target = receiver ? tableNamedBy(receiver, text.text) : undefined;
      if (target && isNew(target, runsAt(expression))) continue;
      const keys = [...expression.source.matchAll(/\.values\(\s*([\s\S]*)\)/g)].flatMap((m) => [...m[1].matchAll(/(?:^|[,{(]\s*)['"]?(\w+)['"]?\s*[=:]/g)].map((k) => k[1]));
      const added = addedColumns(runsAt(expression));
      const backfill = match[2] === 'update' && keys.length > 0 && keys.every((k) => added.includes(k));
      report(expression.callSpan, expression.loop, backfill ? `update() expression fills in ${keys.join(', ')}, added by this upgrade` : `${match[2]}() expression`, backfill, match[2] === 'delete');
    }
    for (const op of migration.ops) {
      if (op.phase !== 'upgrade' || op.name !== 'bulk_insert') continue;
      const argument = op.arguments.get('table')?.text;
      // In a helper, the table is whatever the caller passed.
      const table = tableNamedBy(argument && boundInCaller(argument.trim(), op.via), text.text);
      if (table && isNew(table, runsAt(op))) continue;
      // Rows written out in the migration (a list literal) are configuration; rows computed are a data migration.
      const constant = op.arguments.get('rows')?.text.trimStart().startsWith('[') ?? false;
      report(op.callSpan, op.loop, `bulk_insert${table ? ` into ${table}` : ''}${constant ? ' of constant rows' : ''}`, constant);
    }
    for (const write of migration.ormWrites) {
      if (write.phase !== 'upgrade') continue;
      const changedInPlace = write.method === 'commit' || write.method === 'flush';
      report(write.callSpan, write.loop, changedInPlace ? `session.${write.method}() of rows loaded and changed through the ORM` : `session.${write.method}() through the ORM`, false, /delete/.test(write.method));
    }
    return reports;
  },
};

/** The table an expression names: `sa.table("name", …)`, `sa.Table("name", meta, …)` or `op.create_table("name", …)` written in place, or a variable bound to one. */
function tableNamedBy(argument: string | undefined, source: string): string | undefined {
  if (!argument) return undefined;
  const inline = /^(?:[\w.]*\.)?(?:table|Table|create_table)\(\s*['"]([\w.]+)['"]/.exec(argument.trim());
  if (inline) return inline[1];
  // `tables.mediatype` where the project's runner passes its tables in (`def upgrade(op, tables):`): the table by name.
  const member = /^(\w+)\.(\w+)$/.exec(argument.trim());
  const parameters = /^def\s+upgrade\s*\(([^)]*)\)/m.exec(source)?.[1].split(',').map((p) => p.split(/[:=]/)[0].trim()) ?? [];
  if (member && member[1] !== 'op' && parameters.includes(member[1])) return member[2];
  if (!/^\w+$/.test(argument.trim())) return undefined;
  const bound = new RegExp(`\\b${argument.trim()}\\s*=\\s*(?:[\\w.]*\\.)?(?:table|Table|create_table)\\(\\s*['"]([\\w.]+)['"]`).exec(source);
  return bound?.[1];
}
