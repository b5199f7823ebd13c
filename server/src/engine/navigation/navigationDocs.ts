import { pathToFileURL } from 'url';
import { AlembicProject, displayPath } from '../project/alembicProject';
import type { SourceText } from '../text/sourceText';
import type { MigrationFile } from '../migration/migrationFile';
import { columnLines, tableHistory } from './tableHistory';

export interface Location {
  file: string;
  start: number;
  end: number;
}

function link(project: AlembicProject, file: string, line?: number): string {
  return `[${displayPath(project, file)}${line !== undefined ? `:${line + 1}` : ''}](${pathToFileURL(file).href}${line !== undefined ? `#L${line + 1}` : ''})`;
}

/** A revision's message, file, parents, children and head status, for a hover on its id. */
export function revisionMarkdown(project: AlembicProject, id: string): string {
  const revision = project.graph.get(id);
  if (!revision) return `**${id}**: no revision of this chain has this id.`;
  const migration = revision.migration;
  const list = (ids: string[]) => (ids.length ? ids.map((i) => `\`${i}\` ${project.graph.get(i)?.migration.header?.message ?? ''}`.trim()).join(', ') : 'none');
  return [
    `**${id}** ${migration.header?.message ?? ''}${revision.children.length === 0 ? ' *(head)*' : ''}`,
    '',
    `- file: ${link(project, migration.path)}`,
    `- parents: ${revision.downRevisions.length ? list(revision.downRevisions) : 'none (base)'}`,
    `- children: ${list(revision.children)}`,
    revision.branchLabels.length ? `- branch labels: ${revision.branchLabels.join(', ')}` : '',
    migration.header?.createDate ? `- created: ${migration.header.createDate}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/** The model that defines a table (or that none does), its columns when `migration` starts, and what the chain did to it. */
export function tableMarkdown(project: AlembicProject, table: string, sourceOf: (file: string) => SourceText | undefined, migration?: MigrationFile): string {
  const models = project.models.filter((m) => m.tablename === table);
  const modelLines = models.length
    ? models.map((m) => `- model **${m.name}** in ${link(project, m.file, sourceOf(m.file)?.positionAt(m.span.start).line)}`)
    : ['- not defined by any model of this project'];
  const history = tableHistory(project, table).map((e) => `- ${e.what} in \`${e.revision}\` ${e.migration.header?.message ?? ''}`.trimEnd());
  const revision = migration && project.graph.revisionOf(migration);
  const state = revision ? project.schema.before(revision.id).table(table) : undefined;
  const columns = state
    ? [
        '',
        `columns when \`${revision!.id}\` starts${state.complete ? '' : ' (those the migrations show; the table is older than them)'}:`,
        '',
        '```sql',
        ...(columnLines(state).length ? columnLines(state) : ['-- none known']),
        '```',
      ]
    : [];
  return [`**table \`${table}\`**`, '', ...modelLines, ...(history.length ? history : ['- no migration of this chain creates or changes it']), ...columns].join('\n');
}

/** Where a revision id is defined: its migration's `revision = ...` line. */
export function revisionLocation(project: AlembicProject, id: string): Location | undefined {
  const migration = project.graph.get(id)?.migration;
  const span = migration?.revision?.span;
  return migration && span ? { file: migration.path, start: span.start, end: span.end } : undefined;
}

/** Where a table is defined: its model classes (or Table() calls). */
export function tableLocations(project: AlembicProject, table: string): Location[] {
  return project.models.filter((m) => m.tablename === table).map((m) => ({ file: m.file, start: m.span.start, end: m.span.end }));
}
