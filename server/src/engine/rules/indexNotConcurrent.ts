import { createdEarlierInUpgrade } from '../analysis/upgradeContext';
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
      'On PostgreSQL, flags `create_index` on a table this migration did not create unless it is built with `postgresql_concurrently=True` inside `with op.get_context().autocommit_block():`. A concurrent build outside the block is flagged too: PostgreSQL refuses CREATE INDEX CONCURRENTLY in a transaction.',
    whyIsThisBad: 'A plain CREATE INDEX holds a SHARE lock for the whole build: every INSERT, UPDATE and DELETE on the table waits, for minutes on a large table.',
    example: 'op.create_index("ix_receipts_merchant", "receipts", ["merchant"])',
    useInstead: 'with op.get_context().autocommit_block():\n    op.create_index("ix_receipts_merchant", "receipts", ["merchant"], postgresql_concurrently=True)',
    fix: 'Wrap the call in `autocommit_block()` and add `postgresql_concurrently=True`.',
    origin: 'Seed 001 lists index changes among the operations to review; PostgreSQL\'s CREATE INDEX documentation ("Building Indexes Concurrently").',
  },
  check({ migration, project, text }) {
    if (!onPostgres(project)) return [];
    return migration.ops
      .filter((op) => op.phase === 'upgrade' && op.name === 'create_index' && op.table && !op.batched && !createdEarlierInUpgrade(migration, op.table, op.callSpan.start))
      .filter((op) => !(op.inAutocommit && op.arguments.get('postgresql_concurrently')?.text === 'True'))
      .map((op) => {
        const concurrent = op.arguments.get('postgresql_concurrently')?.text === 'True';
        const fixes = [];
        if (op.statement) {
          const line = text.positionAt(op.statement.span.start).line;
          const indent = text.indentationOf(line);
          const inner = reindentStatement(text, op.statement.span, indent + '    ');
          if (!concurrent) {
            const last = inner.length - 1;
            inner[last] = inner[last].replace(/\)\s*$/, ', postgresql_concurrently=True)');
          }
          const wrapped = op.inAutocommit ? inner.map((l) => l.slice(4)) : [`${indent}with op.get_context().autocommit_block():`, ...inner];
          fixes.push({
            title: op.inAutocommit ? 'Add postgresql_concurrently=True' : 'Build it concurrently inside autocommit_block()',
            edits: [{ file: migration.path, edits: [{ range: text.rangeOf(text.lineStart(line), op.statement.span.end), newText: wrapped.join(text.eol) }] }],
            preferred: true,
          });
        }
        return {
          file: migration.path,
          range: text.rangeOf(op.callSpan.start, op.callSpan.end),
          message: concurrent
            ? `CREATE INDEX CONCURRENTLY cannot run inside the migration's transaction: wrap it in autocommit_block()`
            : `building an index on "${op.table}" blocks every write to it until the build ends: build it concurrently`,
          fixes,
        };
      });
  },
};
