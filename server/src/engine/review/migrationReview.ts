import type { Finding } from '../analysis/finding';
import { isDestructive, operationLock } from '../docs/operationDocs';
import { AUTOGENERATE_END_MARKER, AUTOGENERATE_START_MARKER, MigrationFile, OpCall } from '../migration/migrationFile';
import { sqlEffectLock } from '../docs/sqlLocks';
import { effectsOf } from '../schema/statementEffects';
import type { SqlEffect } from '../sql/sqlStatements';
import { AlembicProject, displayPath, isHead } from '../project/alembicProject';
import type { SourceText } from '../text/sourceText';

export interface ReviewedOperation {
  phase: 'upgrade' | 'downgrade';
  operation: string;
  table: string | undefined;
  destructive: boolean;
  lock: string | undefined;
  /** Whether the other function undoes it, as the schema's round trip says (undefined: not a schema change, or unknown). */
  inverseInOtherFunction: boolean | undefined;
  /** 1-based line of the call. */
  line: number;
}

/** `n/a`: nothing in this migration or project it could apply to; `todo`: a person checks it, or the checker cannot tell. */
export type CheckStatus = 'pass' | 'fail' | 'todo' | 'n/a';

export interface ChecklistItem {
  label: string;
  status: CheckStatus;
  /** The findings behind a failure, or what a person has to do. */
  detail: string;
  /** This migration's, or the revision chain's (the whole project: not this migration's failure). */
  scope: 'migration' | 'chain';
}

/** The review of one migration: what a careful reviewer writes, as data. */
export interface MigrationReview {
  file: string;
  message: string | undefined;
  revision: string | undefined;
  parents: string[];
  children: string[];
  isHead: boolean;
  createDate: string | undefined;
  operations: ReviewedOperation[];
  findings: Finding[];
  checklist: ChecklistItem[];
  /** `alembic upgrade --sql` output, filled in by an adapter that may run the project's code. */
  offlineSql?: { command: string; sql?: string; error?: string };
}

const INVERSE: Record<string, string> = {
  create_table: 'drop_table',
  drop_table: 'create_table',
  add_column: 'drop_column',
  drop_column: 'add_column',
  create_index: 'drop_index',
  drop_index: 'create_index',
  create_foreign_key: 'drop_constraint',
  create_unique_constraint: 'drop_constraint',
  create_primary_key: 'drop_constraint',
  create_check_constraint: 'drop_constraint',
  rename_table: 'rename_table',
  alter_column: 'alter_column',
};


/** What a careful reviewer checks: computed from the findings and the file, never contradicting them. */
function checklist(project: AlembicProject, migration: MigrationFile, findings: Finding[], projectFindings: Finding[], roundTripKnown: boolean): ChecklistItem[] {
  const codes = (list: Finding[], wanted: string[]) => list.filter((f) => wanted.includes(f.code));
  const item = (label: string, failing: Finding[], fine: string, scope: ChecklistItem['scope'] = 'migration'): ChecklistItem => ({
    label,
    status: failing.length ? 'fail' : 'pass',
    detail: failing.length ? failing.map((f) => `${f.code} line ${f.range.start.line + 1}: ${f.message}`).join('\n') : fine,
    scope,
  });
  const upgradeChanges = migration.ops.some((op) => op.phase === 'upgrade' && INVERSE[op.name]);
  const destructive = migration.ops.some((op) => op.phase === 'upgrade' && isDestructive(op));
  const markers = migration.comments.filter((c) => AUTOGENERATE_START_MARKER.test(c.text) || AUTOGENERATE_END_MARKER.test(c.text));
  const markerFindings = codes(findings, ['AG206']);
  const undo = item('downgrade() undoes upgrade()', codes(findings, ['AG301', 'AG302', 'AG303']), 'every change has its inverse');
  const models = item('Models registered (autogenerate saw every table)', codes([...findings, ...projectFindings], ['AG201', 'AG202', 'AG205']), 'every model is loaded by env.py', 'chain');
  return [
    {
      label: 'Autogenerate markers removed (the migration was read)',
      // The file says it, whatever rules are on: markers still there are markers still there.
      status: markers.length ? 'fail' : 'pass',
      detail: markers.length ? (markerFindings.length ? markerFindings : markers).map((m) => ('code' in m ? `${m.code} line ${m.range.start.line + 1}: ${m.message}` : `marker: ${m.text}`)).join('\n') : 'no markers left',
      scope: 'migration',
    },
    item('No drop in upgrade()', codes(findings, ['AG101', 'AG102', 'AG103', 'AG104', 'AG105', 'AG106', 'AG202', 'AG203']), 'no destructive operation'),
    !upgradeChanges
      ? { label: undo.label, status: 'n/a', detail: 'upgrade() changes no table, column, index or constraint', scope: 'migration' }
      : undo.status === 'pass' && !roundTripKnown
        ? { label: undo.label, status: 'todo', detail: 'the checker cannot read every step of downgrade() (SQL or names it cannot know): a person checks it', scope: 'migration' }
        : undo,
    item('No data operations', codes(findings, ['AG401', 'AG106']), 'schema changes only'),
    item('Descriptive message', codes(findings, ['AG606']), migration.header?.message ?? ''),
    {
      label: 'Backup taken before running it',
      status: destructive ? 'todo' : 'n/a',
      detail: destructive ? 'a person: this migration removes data; take and verify a backup first' : 'nothing is removed',
      scope: 'migration',
    },
    { label: 'Tested upgrade → downgrade → upgrade on a copy of production data', status: 'todo', detail: 'a person: alembic upgrade head, alembic downgrade -1, alembic upgrade head', scope: 'migration' },
    !project.models.length
      ? { label: models.label, status: 'n/a', detail: 'the project has no SQLAlchemy models (its migrations are written by hand)', scope: 'chain' }
      : models.status === 'pass' && !project.loaded
        ? { label: models.label, status: 'todo', detail: 'what env.py loads cannot be told from the code (the application loads it, or env.py reads current_app)', scope: 'chain' }
        : models,
    item('Single head, intact chain', codes([...findings, ...projectFindings], ['AG601', 'AG602', 'AG603', 'AG604']), 'one head, an intact chain', 'chain'),
  ];
}

export function reviewMigration(project: AlembicProject, migration: MigrationFile, text: SourceText, findings: Finding[], projectFindings: Finding[] = []): MigrationReview {
  const node = project.graph.revisionOf(migration);
  const upgrade = migration.ops.filter((op) => op.phase === 'upgrade' && op.name !== 'batch_alter_table');
  const downgrade = migration.ops.filter((op) => op.phase === 'downgrade' && op.name !== 'batch_alter_table');
  // Whether downgrade() undoes each change is what the schema's round trip says (AG301/AG302), not a guess from names.
  const trip = node ? project.schema.roundTrip(node.id) : undefined;
  const roundTripKnown = !!trip && !trip.upgrade.opaque && !trip.downgrade.opaque;
  const emptyDowngrade = findings.some((f) => f.code === 'AG301');
  const differences = new Set(findings.filter((f) => f.code === 'AG302').map((f) => f.range.start.line + 1));
  const undone = (op: OpCall, line: number): boolean | undefined => {
    if (!INVERSE[op.name]) return undefined;
    if (emptyDowngrade || differences.has(line)) return false;
    return roundTripKnown ? true : undefined;
  };
  return {
    file: displayPath(project, migration.path),
    message: migration.header?.message,
    revision: node?.id ?? (typeof migration.revision?.value === 'string' ? migration.revision.value : undefined),
    parents: node?.downRevisions ?? [],
    children: node?.children ?? [],
    isHead: isHead(project, migration),
    createDate: migration.header?.createDate,
    operations: [...upgrade, ...downgrade].map((op) => {
      const line = text.positionAt(op.callSpan.start).line + 1;
      const sql = op.name === 'execute' ? migration.sql.find((q) => q.call === op) : undefined;
      const effects = sql ? effectsOf(sql) : [];
      return {
        phase: op.phase!,
        operation: `${op.receiver}.${op.name}`,
        table: op.table ?? effects.map(tableOfEffect).find(Boolean),
        destructive: isDestructive(op) || effects.some((e) => e.kind === 'drop_table' || e.kind === 'drop_column' || e.kind === 'truncate' || (e.kind === 'delete' && !e.hasWhere)),
        // SQL the parser read says which lock it takes; SQL it could not read says so.
        lock: op.name === 'execute' ? (effects.length ? [...new Set(effects.map(sqlEffectLock))].join('; ') : 'unknown: SQL the checker cannot read') : operationLock(op),
        inverseInOtherFunction: undone(op, line),
        line,
      };
    }),
    findings,
    checklist: checklist(project, migration, findings, projectFindings, roundTripKnown),
  };
}

function tableOfEffect(effect: SqlEffect): string | undefined {
  if ('table' in effect && typeof effect.table === 'string') return effect.table;
  if ('tables' in effect) return effect.tables.join(', ');
  return undefined;
}
