import type { Report } from '../analysis/finding';
import { tableDropsInUpgrade } from '../analysis/tableDrops';
import { protectionOf } from '../project/alembicProject';
import { effectsOf } from '../schema/statementEffects';
import type { MigrationRule } from './rule';

const TOUCHING = new Set(['rename_table', 'add_column', 'drop_column', 'alter_column', 'drop_index', 'drop_constraint', 'create_table_comment', 'drop_table_comment', 'batch_alter_table']);

export const protectedTableTouched: MigrationRule = {
  code: 'AG104',
  name: 'protected-table-touched',
  scope: 'migration',
  defaultSeverity: 'error',
  summary: 'any drop, rename, alter or truncate of a protected table (config, presets, env.py exclusions)',
  docs: {
    whatItDoes:
      'Flags an `upgrade()` that drops, renames, alters, truncates or deletes from a protected table: one listed in `protected-tables`, owned by a preset (`better-auth`, `authjs`, `postgis`, `celery`, `apscheduler`…), or excluded by env.py\'s `include_object`.',
    whyIsThisBad:
      'Another system owns these tables and expects their exact shape: Better Auth reads `session` on every request, PostGIS needs `spatial_ref_sys`. A migration that changes them breaks that system, and a drop wipes its data.',
    example: 'def upgrade() -> None:\n    op.alter_column("session", "token", type_=sa.String(64))',
    useInstead: '# Let the owner migrate its own tables (Better Auth: npx @better-auth/cli migrate);\n# keep them out of autogenerate with include_object in env.py.',
    fix: 'Not mechanical: remove the operation, or ignore with a reason when the owning tool\'s upgrade requires it.',
    origin: "Autogenerate dropped the tables Better Auth manages outside Alembic (sessions, accounts, verification tokens all deleted); the team's guide lists \"Tables That Must NEVER Be Dropped\".",
  },
  check({ migration, project, text }) {
    const reports: Report[] = [];
    const report = (span: { start: number; end: number }, table: string, what: string) => {
      const why = protectionOf(project, table);
      if (why) reports.push({ file: migration.path, range: text.rangeOf(span.start, span.end), message: `upgrade() ${what} "${table}", a protected table (${why})`, fixes: [] });
    };
    for (const drop of tableDropsInUpgrade(migration, project, text.text)) if (drop.reason.kind === 'protected') report(drop.span, drop.table, 'drops');
    for (const op of migration.ops) {
      if (op.phase !== 'upgrade' || !op.table || !TOUCHING.has(op.name) || (op.name === 'batch_alter_table' && !protectionOf(project, op.table))) continue;
      const verb = op.name === 'rename_table' ? 'renames' : op.name.startsWith('drop') ? 'drops from' : 'alters';
      report(op.callSpan, op.table, verb);
    }
    for (const sql of migration.sql) {
      if (sql.phase !== 'upgrade') continue;
      for (const effect of effectsOf(sql)) {
        if (effect.kind === 'truncate') effect.tables.forEach((t) => report(sql.callSpan, t, 'truncates'));
        if (effect.kind === 'delete' || effect.kind === 'update') report(sql.callSpan, effect.table, effect.kind === 'delete' ? 'deletes from' : 'updates');
        if (effect.kind === 'drop_column') report(sql.callSpan, effect.table, 'drops from');
      }
    }
    return reports;
  },
};
