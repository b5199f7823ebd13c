import type { Report } from '../analysis/finding';
import { asLockAdvice, lockAdviceMoot } from '../analysis/lockAdvice';
import { branchDatabase } from '../analysis/codeBranch';
import { reindentStatement } from '../fixes/statementRemoval';
import { onPostgres } from '../project/alembicProject';
import type { MigrationRule } from './rule';

export const indexNotConcurrent: MigrationRule = {
  code: 'AG505',
  name: 'index-not-concurrent',
  scope: 'migration',
  defaultSeverity: 'warning',
  summary: '`create_index` on an existing table without `postgresql_concurrently=True` in an `autocommit_block` (PostgreSQL)',
  docs: {
    whatItDoes:
      'On PostgreSQL, flags `create_index` on a table this migration did not create unless it is built with `postgresql_concurrently=True` inside `with op.get_context().autocommit_block():`. A concurrent build outside the block is flagged in any project: PostgreSQL refuses CREATE INDEX CONCURRENTLY in a transaction. `batch_op.create_index` counts. Code in a branch for another database (`if op.get_bind().dialect.name == "mysql":`) is left alone, and the plain-build warning is information for a project that migrates with its application stopped: one whose history never builds an index concurrently or uses `autocommit_block()`, `lock_timeout` or `NOT VALID`, unless `deploy = "online"` says otherwise.',
    whyIsThisBad: 'A plain CREATE INDEX holds a SHARE lock for the whole build: every INSERT, UPDATE and DELETE on the table waits, for minutes on a large table.',
    example: 'op.create_index("ix_receipts_merchant", "receipts", ["merchant"])',
    useInstead: 'with op.get_context().autocommit_block():\n    op.create_index("ix_receipts_merchant", "receipts", ["merchant"], postgresql_concurrently=True)',
    fix: 'Wrap the call in `autocommit_block()` and add `postgresql_concurrently=True`.',
    origin: "A team's review checklist lists index changes among the operations to question; PostgreSQL's CREATE INDEX documentation (\"Building Indexes Concurrently\").",
  },
  check({ migration, project, text, mayRunGit }) {
    if (!onPostgres(project)) return [];
    return migration.ops
      .filter((op) => op.phase === 'upgrade' && op.name === 'create_index' && op.table && !lockAdviceMoot(project, migration, op, mayRunGit))
      // In autocommit_block(), or on a connection env.py opens in AUTOCOMMIT, CONCURRENTLY runs as written.
      .filter((op) => !((op.inAutocommit || project.env?.autocommit) && op.arguments.get('postgresql_concurrently')?.text === 'True'))
      // A branch for another database (`if dialect.name == "mysql":`) gets no PostgreSQL advice.
      .filter((op) => branchDatabase(op.guard) !== 'other')
      .flatMap((op): Report[] => {
        const concurrent = op.arguments.get('postgresql_concurrently')?.text === 'True';
        const fixes = [];
        // Inside batch_alter_table the call cannot move into an autocommit block on its own.
        if (op.statement && !op.batched) {
          const line = text.positionAt(op.statement.span.start).line;
          const indent = text.indentationOf(line);
          const inner = reindentStatement(text, op.statement.span, indent + '    ');
          if (!concurrent) {
            // After a trailing comma (`…,\n)`), the new argument needs none of its own.
            const joined = inner.join('\n');
            const close = joined.lastIndexOf(')');
            const trailingComma = /,\s*$/.test(joined.slice(0, close));
            const withArgument = `${joined.slice(0, close).replace(/\s*$/, '')}${trailingComma ? ' ' : ', '}postgresql_concurrently=True${joined.slice(close)}`;
            inner.splice(0, inner.length, ...withArgument.split('\n'));
          }
          const wrapped = op.inAutocommit ? inner.map((l) => l.slice(4)) : [`${indent}with op.get_context().autocommit_block():`, ...inner];
          fixes.push({
            title: op.inAutocommit ? 'Add postgresql_concurrently=True' : 'Build it concurrently inside autocommit_block()',
            edits: [{ file: migration.path, edits: [{ range: text.rangeOf(text.lineStart(line), op.statement.span.end), newText: wrapped.join(text.eol) }] }],
            preferred: true,
          });
        }
        const report: Report = {
          file: migration.path,
          range: text.rangeOf(op.callSpan.start, op.callSpan.end),
          message: concurrent
            ? `CREATE INDEX CONCURRENTLY cannot run inside the migration's transaction: wrap it in autocommit_block()`
            : `building an index on "${op.table}" blocks every write to it until the build ends: build it concurrently`,
          fixes,
        };
        // CONCURRENTLY outside autocommit_block() fails outright; a plain build is a matter of locks.
        return concurrent ? [report] : asLockAdvice(project, migration, report);
      });
  },
};
