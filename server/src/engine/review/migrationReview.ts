import type { Finding } from '../analysis/finding';
import { isDestructive, operationLock } from '../docs/operationDocs';
import type { MigrationFile, OpCall } from '../migration/migrationFile';
import { AlembicProject, displayPath, isHead } from '../project/alembicProject';
import type { SourceText } from '../text/sourceText';

export interface ReviewedOperation {
  phase: 'upgrade' | 'downgrade';
  operation: string;
  table: string | undefined;
  destructive: boolean;
  lock: string | undefined;
  /** Whether the other function undoes it (undefined: not a schema change that needs it). */
  inverseInOtherFunction: boolean | undefined;
  /** 1-based line of the call. */
  line: number;
}

export type CheckStatus = 'pass' | 'fail' | 'todo';

export interface ChecklistItem {
  label: string;
  status: CheckStatus;
  /** The findings behind a failure, or what a person has to do. */
  detail: string;
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

function hasInverse(op: OpCall, other: OpCall[]): boolean | undefined {
  const inverse = INVERSE[op.name];
  if (!inverse) return undefined;
  if (op.name === 'drop_constraint') return other.some((o) => o.name.startsWith('create_') && o.table === op.table);
  return other.some((o) => o.name === inverse && (o.table === op.table || op.name === 'drop_index' || op.name === 'create_index'));
}

/** The seeds' checklists: what the machine can tell, and what only a person can. */
function checklist(migration: MigrationFile, findings: Finding[], projectFindings: Finding[]): ChecklistItem[] {
  const codes = (list: Finding[], wanted: string[]) => list.filter((f) => wanted.includes(f.code));
  const item = (label: string, failing: Finding[], fine: string): ChecklistItem => ({
    label,
    status: failing.length ? 'fail' : 'pass',
    detail: failing.length ? failing.map((f) => `${f.code} line ${f.range.start.line + 1}: ${f.message}`).join('\n') : fine,
  });
  const destructive = migration.ops.some((op) => op.phase === 'upgrade' && isDestructive(op));
  return [
    item('Autogenerate markers removed (the migration was read)', codes(findings, ['AG206']), 'no markers left'),
    item('No drop in upgrade()', codes(findings, ['AG101', 'AG102', 'AG103', 'AG104', 'AG105', 'AG106', 'AG202', 'AG203']), 'no destructive operation'),
    item('downgrade() undoes upgrade()', codes(findings, ['AG301', 'AG302', 'AG303']), 'every change has its inverse'),
    item('Models registered (autogenerate saw every table)', codes([...findings, ...projectFindings], ['AG201', 'AG202', 'AG205']), 'every model is loaded by env.py'),
    item('Single head', codes([...findings, ...projectFindings], ['AG601', 'AG602', 'AG603', 'AG604']), 'one head, an intact chain'),
    item('No data operations', codes(findings, ['AG401', 'AG106']), 'schema changes only'),
    item('Descriptive message', codes(findings, ['AG606']), migration.header?.message ?? ''),
    {
      label: 'Backup taken before running it',
      status: destructive ? 'todo' : 'pass',
      detail: destructive ? 'a person: this migration removes data; take and verify a backup first' : 'nothing is removed',
    },
    { label: 'Tested upgrade → downgrade → upgrade on a copy of production data', status: 'todo', detail: 'a person: alembic upgrade head, alembic downgrade -1, alembic upgrade head' },
  ];
}

export function reviewMigration(project: AlembicProject, migration: MigrationFile, text: SourceText, findings: Finding[], projectFindings: Finding[] = []): MigrationReview {
  const node = project.graph.revisionOf(migration);
  const upgrade = migration.ops.filter((op) => op.phase === 'upgrade' && op.name !== 'batch_alter_table');
  const downgrade = migration.ops.filter((op) => op.phase === 'downgrade' && op.name !== 'batch_alter_table');
  return {
    file: displayPath(project, migration.path),
    message: migration.header?.message,
    revision: node?.id ?? (typeof migration.revision?.value === 'string' ? migration.revision.value : undefined),
    parents: node?.downRevisions ?? [],
    children: node?.children ?? [],
    isHead: isHead(project, migration),
    createDate: migration.header?.createDate,
    operations: [...upgrade, ...downgrade].map((op) => ({
      phase: op.phase!,
      operation: `${op.receiver}.${op.name}`,
      table: op.table,
      destructive: isDestructive(op),
      lock: operationLock(op),
      inverseInOtherFunction: hasInverse(op, op.phase === 'upgrade' ? downgrade : upgrade),
      line: text.positionAt(op.callSpan.start).line + 1,
    })),
    findings,
    checklist: checklist(migration, findings, projectFindings),
  };
}
