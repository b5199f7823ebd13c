import { filesChangedSinceHead } from '../project/gitWorkTree';
import type { ProjectRule } from './rule';

export const appliedMigrationEdited: ProjectRule = {
  code: 'AG607',
  name: 'applied-migration-edited',
  scope: 'project',
  defaultSeverity: 'warning',
  summary: 'a migration that other revisions build on, changed against git\'s HEAD',
  docs: {
    whatItDoes:
      'In a git work tree, flags a migration that already has children (so it has most likely been applied somewhere) whose text differs from the version committed at HEAD. Silent outside git, and in an editor workspace that is not trusted (git reads the repository\'s own configuration).',
    whyIsThisBad:
      'Databases that already ran the migration will never run the edited version: staging and production drift apart from a fresh `alembic upgrade head`, and the difference surfaces months later as a failing autogenerate or a missing column.',
    example: '# 29672f48c359_add_subscriptions.py (has children, already deployed)\n-    op.drop_table("journey_templates")\n+    pass',
    useInstead: '# leave 29672f48c359 as deployed; repair in a new migration\n# alembic revision -m "recreate journey_templates"',
    fix: 'Not mechanical: revert the edit (`git checkout HEAD -- <file>`) and make the change in a new migration.',
    origin: "A team's migration guide, pro tip: \"Never edit applied migrations - always create a new one to fix issues\".",
  },
  check({ project, source, mayRunGit }) {
    if (!mayRunGit) return [];
    const withChildren = project.migrations.filter((m) => (project.graph.revisionOf(m)?.children.length ?? 0) > 0);
    if (!withChildren.length) return [];
    const changed = filesChangedSinceHead(project.root, withChildren.map((m) => m.path), (file) => source(file)?.text);
    if (!changed?.size) return [];
    return withChildren
      .filter((m) => changed.has(m.path))
      .flatMap((migration) => {
        const text = source(migration.path);
        const span = migration.revision?.span;
        if (!text || !span) return [];
        const children = project.graph.revisionOf(migration)!.children;
        return [
          {
            file: migration.path,
            range: text.rangeOf(span.start, span.end),
            message: `this migration differs from HEAD although ${children.join(', ')} build${children.length === 1 ? 's' : ''} on it: databases that ran it will not run the edit; change the schema in a new migration`,
            fixes: [],
          },
        ];
      });
  },
};
