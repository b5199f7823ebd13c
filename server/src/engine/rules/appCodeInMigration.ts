import * as path from 'path';
import type { Report } from '../analysis/finding';
import { isWithin } from '../project/pathContainment';
import type { PythonModuleFacts } from '../project/pythonModule';
import { escapeRegExp } from '../text/wordPattern';
import type { AlembicProject } from '../project/alembicProject';
import type { MigrationRule } from './rule';

export const appCodeInMigration: MigrationRule = {
  code: 'AG402',
  name: 'app-code-in-migration',
  scope: 'migration',
  defaultSeverity: 'warning',
  summary: 'a migration importing the application\'s models, session or settings',
  docs: {
    whatItDoes: 'Flags a migration that imports a module of the application itself (models, database session, settings, services) rather than only Alembic and SQLAlchemy. Column types (a `types` module, or `TypeDecorator` subclasses) and helpers kept in a `migrations` package are not reported: a migration needs the former, and the latter belong to the migrations.',
    whyIsThisBad:
      'A migration is frozen in time; the application is not. When the model later gains a column, the old migration builds queries against a table that does not have it yet, and `alembic upgrade head` on a fresh database fails years later. Settings and sessions also connect to the wrong database or run application side effects during the migration.',
    example: 'from app.models import User\n\ndef upgrade() -> None:\n    session = Session(bind=op.get_bind())\n    for user in session.query(User): ...',
    useInstead: '# describe only what this migration needs, as it is at this revision\nusers = sa.table("users", sa.column("id", sa.Integer), sa.column("credits", sa.Integer))\n\ndef upgrade() -> None:\n    op.execute(users.update().where(users.c.credits.is_(None)).values(credits=0))',
    fix: 'Not mechanical: replace the import with an `sa.table(...)` description of the columns the migration uses.',
    origin: "A team that reset its database eight times after \"SQLAlchemy models evolved but migrations didn't keep up\": a migration that imports today's models breaks when they change.",
  },
  check({ migration, project, text }) {
    const scriptDir = project.alembic.scriptLocation || project.root;
    const reports: Report[] = [];
    for (const statement of migration.imports) {
      if (statement.level > 0) continue;
      // `from neutron.db import migration` imports the submodule `neutron.db.migration`: it is judged, not its package.
      const submodules = statement.names === '*' || !statement.names.length ? [] : statement.names.map((name) => `${statement.modules[0]}.${name}`);
      const targets = submodules.length && submodules.every((m) => project.resolver.fileOf(m)) ? submodules : statement.modules;
      for (const module of targets) {
        const file = project.resolver.fileOf(module);
        if (!file || isWithin(file, scriptDir) || !project.modules.has(file)) continue;
        // Helpers kept for migrations (`app.migrations.utils`) are part of the migration tooling, not the application.
        if (module.split('.').some((part) => MIGRATION_PACKAGE.test(part))) continue;
        // Column types (TypeDecorator subclasses, a `types` module) describe storage; using them is what a migration must do.
        if (providesOnlyTypes(project.modules.get(file)!, module, statement.names)) continue;
        // A package re-exporting its types module's classes (`from app.models import MutableDict`): judged where they are defined.
        if (reexportsOnlyTypes(project, file, statement.names)) continue;
        // `from app.models import db` used only as `db.Integer`, `db.Column`: SQLAlchemy's types through the app's handle.
        if (usedOnlyForTypes(text.text, statement.span, [...statement.bindings.keys()])) continue;
        reports.push({
          file: migration.path,
          range: text.rangeOf(statement.span.start, statement.span.end),
          message: `the migration imports ${module} (${path.basename(file)}), application code that will change after this migration is written`,
          fixes: [],
        });
      }
    }
    return reports;
  },
};

const MIGRATION_PACKAGE = /^(migrations?|alembic(_migrations)?)$/;

/** Whether every imported name comes, through the package's own imports, from a module that provides only types. */
function reexportsOnlyTypes(project: AlembicProject, file: string, names: string[] | '*'): boolean {
  if (names === '*' || !names.length || path.basename(file) !== '__init__.py') return false;
  const facts = project.modules.get(file);
  if (!facts) return false;
  return names.every((name) =>
    facts.imports.some((imported) => {
      if (imported.names === '*' || !imported.names.includes(name) || imported.typeCheckingOnly) return false;
      const source = project.resolver.resolveRelative(file, imported.level, imported.modules[0]);
      const sourceFile = source ? project.resolver.fileOf(source) : undefined;
      const sourceFacts = sourceFile ? project.modules.get(sourceFile) : undefined;
      return !!sourceFacts && providesOnlyTypes(sourceFacts, source!, [name]);
    }),
  );
}
const TYPE_BASE = /(^|\.)(TypeDecorator|UserDefinedType|TypeEngine|Enum|ARRAY)$/;

/**
 * Whether what a migration takes from a module is column types only: a module named `types`, or
 * names that are classes of it deriving from SQLAlchemy's type classes.
 */
function providesOnlyTypes(facts: PythonModuleFacts, module: string, names: string[] | '*'): boolean {
  if (/(^|\.)(types?|column_types|sqltypes)$/.test(module) && names !== '*') return true;
  if (names === '*' || !names.length) return false;
  // `from app.db.schema import Integer, String`: the project's own spellings of SQLAlchemy's types.
  if (names.every((name) => TYPE_ATTRIBUTE.test(name))) return true;
  const typeClasses = new Set(facts.classes.filter((c) => c.bases.some((b) => TYPE_BASE.test(b))).map((c) => c.name));
  return names.every((name) => typeClasses.has(name));
}

/** SQLAlchemy's column types and column constructs, as Flask-SQLAlchemy's `db` re-exports them. */
const TYPE_ATTRIBUTE = /^(Column|ForeignKey|Integer|SmallInteger|BigInteger|String|Text|Unicode|UnicodeText|Boolean|Date|DateTime|Time|Interval|Float|Numeric|DECIMAL|Enum|JSON|LargeBinary|ARRAY|CHAR|VARCHAR|TIMESTAMP|PickleType|Index|UniqueConstraint|PrimaryKeyConstraint|ForeignKeyConstraint|CheckConstraint)$/;

/**
 * Whether every use of the names an import binds, outside the import, is `name.<SQLAlchemy type>`
 * or the type of a column (`sa.Column("id", key_type("User"))`: the project's own type factory).
 */
function usedOnlyForTypes(source: string, importSpan: { start: number; end: number }, names: string[]): boolean {
  if (!names.length) return false;
  const rest = source.slice(0, importSpan.start) + source.slice(importSpan.end);
  return names.every((name) => {
    const uses = [...rest.matchAll(new RegExp(`(?<![\\w.])${escapeRegExp(name)}\\b(\\.(\\w+))?`, 'g'))];
    return (
      uses.length > 0 &&
      uses.every((use) => (use[2] !== undefined && TYPE_ATTRIBUTE.test(use[2])) || COLUMN_TYPE_POSITION.test(rest.slice(Math.max(0, use.index - 200), use.index)))
    );
  });
}

/** Text just before a column's type: `Column(` and, optionally, the column's quoted name. */
const COLUMN_TYPE_POSITION = /\b[Cc]olumn\(\s*(?:(?:"[^"]*"|'[^']*')\s*,\s*)?$/;
