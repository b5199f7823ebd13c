import type { OpGuard } from '../migration/migrationFile';
import type { Dialect } from '../project/guardConfig';
import { AlembicProject, databaseOf } from '../project/alembicProject';

/**
 * The database a code branch runs on, from its condition (`if op.get_bind().dialect.name == "mysql":`,
 * the `else:` of an `is_postgres()` test): "other" for a branch that never runs on PostgreSQL.
 */
export function branchDatabase(guard: OpGuard | undefined): 'postgresql' | 'other' | undefined {
  // A `try` inside a branch runs on that branch's database.
  if (guard?.kind === 'try') return branchDatabase(guard.branch);
  if (!guard || !guard.condition) return undefined;
  const condition = guard.condition.toLowerCase();
  const names = /postgres/.test(condition) ? 'postgresql' : /mysql|mariadb|sqlite|mssql|oracle/.test(condition) ? 'other' : undefined;
  if (!names) return undefined;
  // `not is_postgres()`, `!= "postgresql"` and the `else:` of a test each turn it around.
  let flips = (guard.kind === 'else' ? 1 : 0) + (/^\s*not\b|\bnot\s+in\b/.test(condition) ? 1 : 0) + (/!=/.test(condition) ? 1 : 0);
  let database: 'postgresql' | 'other' | undefined = names;
  for (; flips > 0; flips--) database = database === 'postgresql' ? 'other' : undefined;
  return database;
}

/**
 * The database a code branch names, when it names one: `if dialect.name == "mysql":` runs on
 * MySQL, its `else:` on whatever else (unknown), `if is_sqlite():` on SQLite.
 */
export function branchDialect(guard: OpGuard | undefined): Dialect | undefined {
  const database = branchDatabase(guard);
  if (database === 'postgresql') return 'postgresql';
  if (database !== 'other') return undefined;
  const branch = guard?.kind === 'try' ? guard.branch : guard;
  // The branch runs on the named database only when the test is not turned around.
  const condition = branch?.condition?.toLowerCase() ?? '';
  if (branch?.kind === 'else' || /^\s*not\b|\bnot\s+in\b|!=/.test(condition)) return undefined;
  if (/mysql|mariadb/.test(condition)) return 'mysql';
  if (/sqlite/.test(condition)) return 'sqlite';
  if (/mssql/.test(condition)) return 'mssql';
  if (/oracle/.test(condition)) return 'oracle';
  return undefined;
}

/** The database code runs on: the one its branch names (`if dialect.name == "sqlite":`), else the project's; undefined when neither says. */
export function databaseOfCode(project: AlembicProject, guard: OpGuard | undefined): Dialect | undefined {
  return branchDialect(guard) ?? databaseOf(project);
}
