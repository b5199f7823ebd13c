import { mergeRevisionFile } from '../fixes/mergeRevisionFile';
import type { ProjectRule } from './rule';

export const multipleHeads: ProjectRule = {
  code: 'AG601',
  name: 'multiple-heads',
  scope: 'project',
  defaultSeverity: 'error',
  summary: 'more than one head in a chain (branches labelled on purpose excepted)',
  docs: {
    whatItDoes:
      'Flags every head revision when a chain has several heads that are not separate, labelled branches (`branch_labels`). Two developers who each generated a migration on the same parent produce exactly this.',
    whyIsThisBad:
      '`alembic upgrade head` refuses to run ("Multiple head revisions are present"), so a deploy that runs migrations at start-up fails; and autogenerate compares against an ambiguous schema.',
    example: '# 1a2b3c4d5e6f_add_invoices.py\ndown_revision = "9b984a6823ef"\n# 7f8e9d0c1b2a_add_receipts_index.py\ndown_revision = "9b984a6823ef"',
    useInstead: '# alembic merge -m "merge heads" 1a2b3c4d5e6f 7f8e9d0c1b2a\ndown_revision = ("1a2b3c4d5e6f", "7f8e9d0c1b2a")',
    fix: 'Create the merge revision `alembic merge` would write (from the project\'s own script.py.mako), with both heads as its down_revision.',
    origin: "A team's post-mortem: two heads break `alembic upgrade head` in CI and at deploy.",
  },
  check({ project, source }) {
    const graph = project.graph;
    // Heads on the same labelled lineage (or on none) compete; different labels are branches on purpose.
    const groups = new Map<string, string[]>();
    for (const head of graph.heads) {
      const key = [...graph.lineageLabels(head)].sort().join(',');
      groups.set(key, [...(groups.get(key) ?? []), head]);
    }
    return [...groups.values()]
      .filter((heads) => heads.length > 1)
      .flatMap((heads) => {
        const fix = {
          title: `Create a merge revision of ${heads.length} heads (as alembic merge would)`,
          edits: [mergeRevisionFile(project, (file) => source(file)?.text, heads)],
          preferred: true,
        };
        return heads.flatMap((head) => {
          const migration = graph.get(head)!.migration;
          const text = source(migration.path);
          const span = migration.revision?.span;
          if (!text || !span) return [];
          return [
            {
              file: migration.path,
              range: text.rangeOf(span.start, span.end),
              message: `${head} is one of ${heads.length} heads (${heads.filter((h) => h !== head).join(', ')}): "alembic upgrade head" will refuse to run`,
              fixes: [fix],
            },
          ];
        });
      });
  },
};
