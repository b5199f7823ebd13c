import type { MigrationFile, OpCall, SqlString, StatementPlace } from '../migration/migrationFile';
import { rowsCopiedBefore } from './rowsCopied';
import type { AlembicProject } from '../project/alembicProject';
import { isModelLoaded, protectionOf, qualifiedTableName } from '../project/alembicProject';
import type { ModelDefinition } from '../project/modelRegistry';
import type { Span } from '../python/syntax';
import { effectsOf, isRunTimeName } from '../schema/statementEffects';
import { createdEarlierInUpgrade } from './upgradeContext';
import { runsAt } from '../migration/executionOrder';

/**
 * Why a table is dropped in upgrade(), which decides the one rule that reports it:
 * AG105 (re-created), AG202 (its model is unregistered), AG203 (managed outside Alembic),
 * AG104 (a protected table), AG101 (any other drop). A table created earlier in the same
 * upgrade() is no finding.
 */
export type TableDropReason =
  | { kind: 'created-earlier' }
  /** Dropped and created again with its rows written back (saved before, or copied from a backup): nothing is lost. */
  | { kind: 'rows-kept' }
  | { kind: 'recreated'; create: OpCall }
  | { kind: 'renamed-by-recreate'; create: OpCall }
  | { kind: 'unregistered-model'; model: ModelDefinition }
  | { kind: 'unmanaged' }
  | { kind: 'protected'; why: string }
  | { kind: 'plain' };

export interface TableDrop {
  table: string;
  /** The `op.drop_table(...)` call, or undefined for `DROP TABLE` in raw SQL. */
  op: OpCall | undefined;
  sql: SqlString | undefined;
  span: Span;
  statement: StatementPlace | undefined;
  order: number;
  /** `DROP TABLE IF EXISTS`: written by hand for a table that may not be there, never by autogenerate. */
  ifExists: boolean;
  reason: TableDropReason;
}

const memo = new WeakMap<MigrationFile, WeakMap<AlembicProject, TableDrop[]>>();

/** Computed once per migration and project snapshot: four rules read it. */
export function tableDropsInUpgrade(migration: MigrationFile, project: AlembicProject, source: string): TableDrop[] {
  let byProject = memo.get(migration);
  if (!byProject) memo.set(migration, (byProject = new WeakMap()));
  let drops = byProject.get(project);
  if (!drops) byProject.set(project, (drops = findTableDrops(migration, project, source)));
  return drops;
}

function findTableDrops(migration: MigrationFile, project: AlembicProject, source: string): TableDrop[] {
  const upgradeOps = migration.ops.filter((op) => op.phase === 'upgrade');
  const drops: Omit<TableDrop, 'reason'>[] = [];
  for (const op of upgradeOps) {
    if (op.name === 'drop_table' && op.table) {
      drops.push({ table: op.table, op, sql: undefined, span: op.callSpan, statement: op.statement, order: runsAt(op), ifExists: op.arguments.get('if_exists')?.text === 'True' });
    }
  }
  for (const sql of migration.sql) {
    if (sql.phase !== 'upgrade') continue;
    const effects = effectsOf(sql);
    // Removing the whole execute() is only safe when this drop is all it runs.
    const removable = effects.length === 1 ? sql.statement : undefined;
    // A scratch table made and dropped by the same SQL (`CREATE TEMPORARY TABLE m AS …; UPDATE …; DROP TABLE m`).
    const createdHere = new Set<string>();
    for (const effect of effects) {
      if (effect.kind === 'create_table') createdHere.add(effect.table);
      if (effect.kind !== 'drop_table') continue;
      for (const table of effect.tables) {
        if (createdHere.has(table)) continue;
        drops.push({ table, op: undefined, sql, span: sql.callSpan, statement: effect.tables.length === 1 ? removable : undefined, order: runsAt(sql), ifExists: !!effect.ifExists });
      }
    }
  }
  return drops.map((drop) => ({ ...drop, reason: reasonFor(drop, upgradeOps, migration, project, source) }));
}

function reasonFor(
  drop: Omit<TableDrop, 'reason'>,
  upgradeOps: OpCall[],
  migration: MigrationFile,
  project: AlembicProject,
  source: string,
): TableDropReason {
  const creates = upgradeOps.filter((op) => op.name === 'create_table' && op.table);
  if (createdEarlierInUpgrade(migration, drop.table, drop.order)) return { kind: 'created-earlier' };
  const revision = project.graph.revisionOf(migration);
  const before = revision ? project.schema.before(revision.id) : undefined;
  const recreate = creates.find((c) => c.table === drop.table && runsAt(c) > drop.order);
  // Rows written back into the new table (saved before the drop, or copied from a backup) are not lost.
  if (recreate) return rowsWrittenInto(migration, drop.table, runsAt(recreate)) ? { kind: 'rows-kept' } : { kind: 'recreated', create: recreate };
  // Rows copied into other tables first (INSERT … SELECT … FROM it, or read in Python and written elsewhere): moved, not lost.
  if (rowsCopiedBefore(migration, drop.table, drop.order, source)) return { kind: 'rows-kept' };
  // Autogenerate renders a renamed __tablename__ as create_table(new) + drop_table(old), in either order.
  const dropped = before?.table(drop.table, drop.op?.schema);
  const known = dropped?.complete ? [...dropped.columns.keys()] : [];
  if (known.length >= 2) {
    const rename = likelyRenameTarget(drop.table, creates.filter((c) => c.table !== drop.table && !before?.table(c.table!, c.schema) && sameColumns(c.columns, known)));
    // Unless the rows are copied across first (INSERT … SELECT, a loop of inserts, bulk_insert).
    if (rename && !rowsWrittenInto(migration, rename.table!, runsAt(rename))) return { kind: 'renamed-by-recreate', create: rename };
  }
  // A model is the dropped table's only in the same schema: billing.invoices is not public.invoices.
  const [schema, name] = drop.op?.schema ? [drop.op.schema, drop.table] : drop.table.includes('.') ? drop.table.split('.', 2) : [undefined, drop.table];
  const qualified = qualifiedTableName(name, schema);
  const models = project.models.filter((m) => m.tablename !== undefined && qualifiedTableName(m.tablename, m.schema) === qualified);
  const unregistered = models.find((m) => isModelLoaded(project, m) === false);
  if (unregistered && !models.some((m) => isModelLoaded(project, m))) return { kind: 'unregistered-model', model: unregistered };
  // "Managed outside Alembic" only where the history is known from an empty database: else the table may simply predate it.
  const closedWorld = project.schema.closedWorld;
  if (!models.length && closedWorld && !dropped && !drop.ifExists && !project.createdQualifiedTables.has(qualified)) return { kind: 'unmanaged' };
  const why = protectionOf(project, drop.table);
  if (why) return { kind: 'protected', why };
  return { kind: 'plain' };
}

/** Whether upgrade() writes rows into `table` after `offset`: INSERT in SQL, `bulk_insert`, an insert expression. */
function rowsWrittenInto(migration: MigrationFile, table: string, offset: number): boolean {
  if (migration.ops.some((op) => op.phase === 'upgrade' && op.name === 'bulk_insert' && runsAt(op) > offset)) return true;
  if (migration.executedExpressions.some((e) => e.phase === 'upgrade' && runsAt(e) > offset && /\binsert\b/i.test(e.source))) return true;
  if (migration.ormWrites.some((w) => w.phase === 'upgrade' && runsAt(w) > offset)) return true;
  return migration.sql.some((sql) => sql.phase === 'upgrade' && runsAt(sql) > offset && effectsOf(sql).some((e) => e.kind === 'insert' && (e.table === table || isRunTimeName(e.table))));
}

/**
 * Of the new tables with the dropped table's columns, the one its name says it became: the most
 * words of the name in common (`pending_github_oidc_providers` → `pending_github_oidc_publishers`,
 * not `github_oidc_publishers`). Two equally close: which one is unknown, so none.
 */
function likelyRenameTarget(dropped: string, candidates: OpCall[]): OpCall | undefined {
  if (candidates.length <= 1) return candidates[0];
  const words = new Set(dropped.toLowerCase().split(/[_\W]+/));
  const scored = candidates.map((c) => ({ c, score: c.table!.toLowerCase().split(/[_\W]+/).filter((w) => words.has(w)).length })).sort((a, b) => b.score - a.score);
  return scored[0].score > scored[1].score ? scored[0].c : undefined;
}

function sameColumns(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((c) => set.has(c));
}
