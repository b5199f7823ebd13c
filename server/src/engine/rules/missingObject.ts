import type { Report } from '../analysis/finding';
import type { MigrationRule } from './rule';

export const missingObject: MigrationRule = {
  code: 'AG304',
  name: 'missing-object',
  scope: 'migration',
  defaultSeverity: 'error',
  summary: 'an operation on a table or column that does not exist at that point of the chain (fails at run time)',
  docs: {
    whatItDoes:
      'Replays the chain and flags an operation of `upgrade()` or `downgrade()` on a table an earlier revision dropped or renamed away, or on a column that a table created by the chain does not have at that point (a drop, an alter, a rename, a new column, index or constraint). A table no migration created is never reported: another tool may own it. It runs only where the history is known whole: every table the chain touches was created by one of its migrations, and every upgrade could be read (no SQL or names held in variables). Operations under an `if` or in a `try`, and `if_exists=True` drops, are left out: they may not run.',
    whyIsThisBad:
      'The migration fails on every database that follows the chain: "relation does not exist", "column does not exist". It passes review because each file looks fine alone; it often comes from a typo, a column renamed in an earlier revision, or a revision moved in the chain.',
    example: '# 1a2b3c4d5e6f renamed users.phone to users.phone_number; a later revision:\nop.drop_column("users", "phone")',
    useInstead: 'op.drop_column("users", "phone_number")',
    fix: 'Not mechanical: name the table or column as it is at this revision (the hover on a table name shows its columns there).',
    origin: "A team that reset its database eight times after models and migrations drifted apart; pytest-alembic's test that every revision upgrades from the one before it.",
  },
  check({ migration, project, text }) {
    const schema = project.schema;
    const revision = project.graph.revisionOf(migration);
    if (!revision || !schema.closedWorld || !schema.fullyRead) return [];
    const trip = schema.roundTrip(revision.id);
    if (!trip) return [];
    const reports: Report[] = [];
    for (const [phase, replay] of [['upgrade', trip.upgrade], ['downgrade', trip.downgrade]] as const) {
      if (replay.opaque) continue;
      for (const missing of replay.missing) {
        reports.push({
          file: migration.path,
          range: text.rangeOf(missing.source.span.start, missing.source.span.end),
          message: `${phase}() uses ${missing.what}, which does not exist at this point of the chain: the migration fails when it runs`,
          fixes: [],
        });
      }
    }
    return reports;
  },
};
