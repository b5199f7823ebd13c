import { displayPath } from '../project/alembicProject';
import type { Fix } from '../analysis/finding';
import { tableDropsInUpgrade } from '../analysis/tableDrops';
import { removeDropEdits, tableDropCompanions } from '../fixes/dropUndoFixes';
import { registerModelEdit, registrationFor } from '../fixes/registerModelEdit';
import type { MigrationRule } from './rule';

export const dropOfUnregisteredModelTable: MigrationRule = {
  code: 'AG202',
  name: 'drop-of-unregistered-model-table',
  scope: 'migration',
  defaultSeverity: 'error',
  summary: '`drop_table("t")` where a model defines `t` but env.py never loads it',
  docs: {
    whatItDoes:
      'Flags a drop in `upgrade()` of a table that a model in the project still defines, when that model\'s module is not loaded by `env.py`. The message names the model and its file.',
    whyIsThisBad:
      'This is the drop autogenerate writes when it cannot see a model: the model is alive in the code, its table holds data, and the migration deletes it. It is almost never intended.',
    example:
      '# app/models/journey_template.py: class JourneyTemplate(Base): __tablename__ = "journey_templates"\n# never imported in app/models/__init__.py\ndef upgrade() -> None:\n    op.drop_table("journey_templates")',
    useInstead: '# app/models/__init__.py\nfrom app.models.journey_template import JourneyTemplate\n\n# then regenerate: the migration no longer drops journey_templates\ndef upgrade() -> None:\n    op.add_column("users", sa.Column("subscription_tier", sa.String(length=32), nullable=True))',
    fix: 'Register the model and remove the drop (and its re-create in `downgrade()`), in one edit across both files.',
    origin: 'The journey_templates incident: a migration dropped the table of a model that existed in the code but was never imported where Alembic looks.',
  },
  check({ migration, project, text, source }) {
    return tableDropsInUpgrade(migration, project, text.text).flatMap((drop) => {
      if (drop.reason.kind !== 'unregistered-model') return [];
      const model = drop.reason.model;
      const registration = registrationFor(project, model);
      const fixes: Fix[] = [];
      const targetText = registration ? source(registration.file) : undefined;
      if (registration && targetText) {
        const register = registerModelEdit(project, model, registration, targetText);
        const target = displayPath(project, registration.file);
        if (drop.statement) {
          const removal = removeDropEdits(migration, text, [
            ...tableDropCompanions(migration, drop.table),
            { statement: drop.statement, isRecreate: (op) => op.name === 'create_table' && op.table === drop.table },
          ]);
          fixes.push({
            title: `Register ${model.name} in ${target} and remove the drop of "${drop.table}"`,
            edits: [register, { file: migration.path, edits: removal.edits }],
            preferred: true,
          });
        }
        fixes.push({ title: `Register ${model.name} in ${target}`, edits: [register] });
      }
      return [
        {
          file: migration.path,
          range: text.rangeOf(drop.span.start, drop.span.end),
          message: `upgrade() drops "${model.schema ? `${model.schema}.` : ''}${model.tablename ?? drop.table}", the table of model ${model.name} (${displayPath(project, model.file)}), which env.py never loads: autogenerate could not see it`,
          fixes,
        },
      ];
    });
  },
};
