import type { Report } from '../analysis/finding';
import type { MigrationRule } from './rule';

export const dropCascade: MigrationRule = {
  code: 'AG514',
  name: 'drop-cascade',
  scope: 'migration',
  defaultSeverity: 'warning',
  summary: 'raw SQL `DROP … CASCADE`: names what goes with it',
  docs: {
    whatItDoes:
      'Flags `DROP TABLE … CASCADE`, `DROP INDEX … CASCADE`, `ALTER TABLE … DROP COLUMN / CONSTRAINT … CASCADE` and `DROP <other object> … CASCADE` in SQL run by `upgrade()` or `downgrade()`, and names the foreign keys of other tables that the schema replayed through the chain says go with it.',
    whyIsThisBad:
      'CASCADE removes every object that depends on what is dropped, silently: the foreign keys of other tables (their rows stay, unchecked from then on), views, and for a dropped unique or primary key every foreign key that pointed at it. Nothing in the migration lists them, so nobody reviews them.',
    example: 'op.execute("ALTER TABLE users DROP CONSTRAINT users_pkey CASCADE")',
    useInstead: '# drop the dependents by name first, so the review sees them, then the object without CASCADE\nop.drop_constraint("orders_user_id_fkey", "orders", type_="foreignkey")\nop.drop_constraint("users_pkey", "users", type_="primary")',
    fix: 'Not mechanical: drop the dependents explicitly (and re-create them in `downgrade()`), then drop without CASCADE.',
    origin: "PostgreSQL's documentation of DROP … CASCADE and of dependency tracking.",
  },
  check({ migration, project, text }) {
    const revision = project.graph.revisionOf(migration);
    const trip = revision && project.schema.roundTrip(revision.id);
    if (!trip) return [];
    const reports: Report[] = [];
    for (const cascade of [...trip.upgrade.cascades, ...trip.downgrade.cascades]) {
      const phase = cascade.source.phase ?? 'upgrade';
      const dependents = cascade.dependents.length ? `also drops ${cascade.dependents.join('; ')}` : 'also drops whatever depends on it (views, foreign keys of other tables), which the migrations do not show';
      reports.push({
        file: migration.path,
        range: text.rangeOf(cascade.source.span.start, cascade.source.span.end),
        message: `${phase}() drops ${cascade.what} with CASCADE: it ${dependents}`,
        fixes: [],
      });
    }
    return reports;
  },
};
