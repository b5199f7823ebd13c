import * as path from 'path';
import type { Finding } from '../analysis/finding';
import { AUTOGENERATE_START_MARKER, MigrationFile } from '../migration/migrationFile';
import { AlembicProject, isHead, displayPath } from '../project/alembicProject';

const DESTRUCTIVE = new Set(['drop_table', 'drop_column', 'drop_index', 'drop_constraint']);

/** The review of one migration as Markdown, for the editor and for a pull request description. */
export function migrationReportMarkdown(project: AlembicProject, migration: MigrationFile, findings: Finding[]): string {
  const node = project.graph.revisionOf(migration);
  const revision = node?.id ?? (typeof migration.revision?.value === 'string' ? migration.revision.value : '?');
  const parents = node?.downRevisions ?? [];
  const children = node?.children ?? [];
  const lines: string[] = [
    `# Review: ${migration.header?.message ?? path.basename(migration.path)}`,
    '',
    `- **Revision**: \`${revision}\`${isHead(project, migration) ? ' (head)' : ''}`,
    `- **Parents**: ${parents.length ? parents.map((p) => `\`${p}\``).join(', ') : 'none (base)'}`,
    `- **Children**: ${children.length ? children.map((c) => `\`${c}\``).join(', ') : 'none'}`,
    `- **Created**: ${migration.header?.createDate ?? 'unknown'}`,
    `- **File**: \`${displayPath(project, migration.path)}\``,
    '',
  ];
  for (const phase of ['upgrade', 'downgrade'] as const) {
    const ops = migration.ops.filter((op) => op.phase === phase && op.name !== 'batch_alter_table' && op.name !== 'f');
    lines.push(`## ${phase}()`, '');
    if (!ops.length) {
      lines.push('_No operations._', '');
      continue;
    }
    lines.push('| # | operation | table | destructive |', '|---|---|---|---|');
    ops.forEach((op, i) => lines.push(`| ${i + 1} | \`${op.receiver}.${op.name}\` | ${op.table ?? ''} | ${DESTRUCTIVE.has(op.name) ? '**yes**' : ''} |`));
    lines.push('');
  }
  lines.push('## Findings', '');
  if (!findings.length) lines.push('_None._');
  for (const finding of findings) {
    const fix = finding.fixes.find((f) => f.preferred) ?? finding.fixes[0];
    lines.push(`- **${finding.code}** \`${finding.name}\` (line ${finding.range.start.line + 1}): ${finding.message}${fix ? `  \n  Fix: ${fix.title}` : ''}`);
  }
  const markersLeft = migration.comments.some((c) => AUTOGENERATE_START_MARKER.test(c.text));
  const dropsInUpgrade = migration.ops.some((op) => op.phase === 'upgrade' && DESTRUCTIVE.has(op.name));
  lines.push(
    '',
    '## Checklist',
    '',
    `- [${markersLeft ? ' ' : 'x'}] Autogenerate markers removed (the migration was read)`,
    `- [${dropsInUpgrade ? ' ' : 'x'}] No drop in upgrade()`,
    `- [${findings.some((f) => f.code === 'AG201' || f.code === 'AG202') ? ' ' : 'x'}] Models registered`,
    '- [ ] Backup taken before a destructive migration (a person checks this)',
    '- [ ] Tested upgrade → downgrade → upgrade on a copy of production data (a person checks this)',
  );
  return lines.join('\n') + '\n';
}
