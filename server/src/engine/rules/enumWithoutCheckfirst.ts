import type { MigrationRule } from './rule';

export const enumWithoutCheckfirst: MigrationRule = {
  code: 'AG507',
  name: 'enum-without-checkfirst',
  scope: 'migration',
  defaultSeverity: 'info',
  summary: 'an `sa.Enum`/`postgresql.ENUM` `.create(…)` without `checkfirst=True`',
  docs: {
    whatItDoes: 'Points out `.create(bind)` in `upgrade()` on an `sa.Enum(...)` or `postgresql.ENUM(...)` type that does not say `checkfirst` (information: a matter of robustness). An explicit `checkfirst=False` is the author\'s decision, and `downgrade()` re-creating a type its upgrade dropped is not reported.',
    whyIsThisBad:
      'If the type already exists (created by an earlier half-applied run, another branch, or `create_table` creating it implicitly) the migration fails with "type … already exists", and re-running it after a failure fails again.',
    example: 'status = postgresql.ENUM("active", "suspended", name="user_status")\nstatus.create(op.get_bind())',
    useInstead: 'status = postgresql.ENUM("active", "suspended", name="user_status")\nstatus.create(op.get_bind(), checkfirst=True)',
    fix: 'Add `checkfirst=True`.',
    origin: "A team's migration guide, pro tip: \"Use checkfirst=True when creating types/enums\".",
  },
  check({ migration, text }) {
    return migration.enumCreates
      // A downgrade re-creates what its upgrade dropped; an explicit checkfirst=False is a decision.
      .filter((create) => !create.checkfirst && !create.checkfirstWritten && create.phase === 'upgrade')
      .map((create) => ({
        file: migration.path,
        range: text.rangeOf(create.callSpan.start, create.callSpan.end),
        message: 'creating the enum type fails if it already exists: pass checkfirst=True',
        fixes: [
          {
            title: 'Add checkfirst=True',
            edits: [{ file: migration.path, edits: [{ range: text.rangeOf(create.insertAt, create.insertAt), newText: create.hasArguments ? ', checkfirst=True' : 'checkfirst=True' }] }],
            preferred: true,
          },
        ],
      }));
  },
};
