import { tableDropsInUpgrade } from '../analysis/tableDrops';
import { excludeTablesInEnv } from '../fixes/includeObjectEdit';
import type { AlembicProject } from '../project/alembicProject';
import type { SourceText } from '../text/sourceText';
import type { ProjectRule } from './rule';

/** Tables autogenerate must be kept away from: protected by config, or dropped as unmanaged. */
export function tablesOutsideAlembic(project: AlembicProject, source: (file: string) => SourceText | undefined): string[] {
  const tables = new Set(project.protectedTables);
  for (const migration of project.migrations) {
    const text = source(migration.path)?.text;
    if (text === undefined) continue;
    for (const drop of tableDropsInUpgrade(migration, project, text)) if (drop.reason.kind === 'unmanaged') tables.add(drop.table);
  }
  return [...tables].sort();
}

export const envMissingIncludeObject: ProjectRule = {
  code: 'AG204',
  name: 'env-missing-include-object',
  scope: 'project',
  defaultSeverity: 'warning',
  summary: '`env.py` has no `include_object`/`include_name` filter while unmanaged or protected tables exist',
  docs: {
    whatItDoes:
      'Flags `env.py` when it passes no `include_object` or `include_name` filter to `context.configure(...)` although the project has tables Alembic must not manage: tables configured as protected (or from a preset such as Better Auth), or tables that migrations drop without any migration or model creating them.',
    whyIsThisBad:
      'Without a filter, every `alembic revision --autogenerate` proposes to drop those tables again, and one unreviewed migration deletes them.',
    example: 'context.configure(connection=connection, target_metadata=target_metadata)',
    useInstead:
      'EXCLUDED_TABLES = {"session", "account"}\n\ndef include_object(object, name, type_, reflected, compare_to):\n    if type_ == "table" and name in EXCLUDED_TABLES:\n        return False\n    return True\n\ncontext.configure(connection=connection, target_metadata=target_metadata, include_object=include_object)',
    fix: 'Add `include_object` to env.py excluding those tables, and pass it to every `context.configure(...)` (online and offline).',
    origin: "After the Better Auth tables were dropped, the team listed them in env.py's `include_object` filter so autogenerate would never propose it again.",
  },
  check({ project, source }) {
    const env = project.env;
    if (!env || env.filterWired) return [];
    const tables = tablesOutsideAlembic(project, source);
    if (!tables.length) return [];
    const text = source(env.file);
    if (!text) return [];
    const anchor = env.configureCalls[0]?.span ?? env.targetMetadata?.span ?? { start: 0, end: 0 };
    const listed = tables.length > 4 ? `${tables.slice(0, 4).map((t) => `"${t}"`).join(', ')} and ${tables.length - 4} more` : tables.map((t) => `"${t}"`).join(', ');
    return [
      {
        file: env.file,
        range: text.rangeOf(anchor.start, anchor.end),
        message: `env.py passes no include_object filter, so autogenerate will keep proposing to drop ${listed}, which Alembic does not manage`,
        fixes: [
          {
            title: `Add include_object to env.py excluding ${tables.length === 1 ? `"${tables[0]}"` : `${tables.length} unmanaged tables`}`,
            edits: [excludeTablesInEnv(env, text, tables)],
            preferred: true,
          },
        ],
      },
    ];
  },
};
