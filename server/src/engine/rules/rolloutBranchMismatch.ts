import type { Report } from '../analysis/finding';
import type { OpCall } from '../migration/migrationFile';
import { rolloutBranchOf } from '../project/rolloutBranch';
import { effectsOf } from '../schema/statementEffects';
import type { SqlEffect } from '../sql/sqlStatements';
import { runsAt } from '../migration/executionOrder';
import type { MigrationRule } from './rule';

export const rolloutBranchMismatch: MigrationRule = {
  code: 'AG608',
  name: 'rollout-branch-mismatch',
  scope: 'migration',
  defaultSeverity: 'warning',
  summary: 'a drop or rename on the `expand` branch, or a new table or column on the `contract` branch',
  docs: {
    whatItDoes:
      'In a project that keeps `expand` and `contract` branches (branch labels `expand`/`contract`, or constants named `EXPAND_BRANCH`/`CONTRACT_BRANCH`, or `expand/` and `contract/` folders), flags an `upgrade()` on the expand branch that drops or renames a table or column, and one on the contract branch that creates a table, adds a column or builds an index.',
    whyIsThisBad:
      'Expand revisions run while the previous release still serves: they may only add. A drop or rename there breaks the running code. Contract revisions run after every instance is on the new release, often at a later, separate step: something added there is missing while the new code already needs it, and operators who run expand alone never get it.',
    example: '# versions/expand/…\nbranch_labels = ("expand",)\n\ndef upgrade() -> None:\n    op.drop_column("images", "is_public")',
    useInstead: '# expand: add the new column\nop.add_column("images", sa.Column("visibility", sa.String(16), nullable=True))\n# contract (a later revision on the contract branch): drop the old one\nop.drop_column("images", "is_public")',
    fix: 'Not mechanical: move the operation to a revision on the other branch.',
    origin: "OpenStack's online schema migrations (expand/migrate/contract), as Neutron and Glance document them.",
  },
  check({ migration, project, text }) {
    const branch = rolloutBranchOf(project, migration);
    if (!branch) return [];
    const reports: Report[] = [];
    const report = (span: { start: number; end: number }, what: string) =>
      reports.push({
        file: migration.path,
        range: text.rangeOf(span.start, span.end),
        message:
          branch === 'expand'
            ? `${what} on the expand branch, which runs while the previous release still serves: it belongs on the contract branch`
            : `${what} on the contract branch, which may run long after the new release needs it: it belongs on the expand branch`,
        fixes: [],
      });
    const upgradeOps = migration.ops.filter((op) => op.phase === 'upgrade');
    // An index dropped and built again on the same table (renamed with its column) replaces one: no addition.
    const rebuilt = (op: OpCall) => op.name === 'create_index' && upgradeOps.some((d) => d.name === 'drop_index' && d.table === op.table && runsAt(d) < runsAt(op));
    for (const op of upgradeOps) {
      if (branch === 'contract' && rebuilt(op)) continue;
      const what = branch === 'expand' ? removal(op) : addition(op);
      if (what) report(op.callSpan, what);
    }
    for (const sql of migration.sql) {
      if (sql.phase !== 'upgrade') continue;
      for (const effect of effectsOf(sql)) {
        const what = branch === 'expand' ? sqlRemoval(effect) : sqlAddition(effect);
        if (what) report(sql.callSpan, what);
      }
    }
    return reports;
  },
};

/** `"t"` when the name is known, else what it is (`a table`): names passed in at run time are not. */
function named(value: unknown, what: string): string {
  return typeof value === 'string' ? `"${value}"` : what;
}

function removal(op: OpCall): string | undefined {
  switch (op.name) {
    case 'drop_table':
      return `dropping table ${named(op.table, 'a table')}`;
    case 'drop_column':
      return `dropping ${columnNamed(op.table, op.arguments.get('column_name')?.value)}`;
    case 'rename_table':
      return `renaming table ${named(op.table, 'a table')}`;
    case 'alter_column':
      return op.arguments.has('new_column_name') ? `renaming ${columnNamed(op.table, op.arguments.get('column_name')?.value)}` : undefined;
    default:
      return undefined;
  }
}

function addition(op: OpCall): string | undefined {
  switch (op.name) {
    case 'create_table':
      return `creating table ${named(op.table, 'a table')}`;
    case 'add_column':
      return `adding ${columnNamed(op.table, op.columns[0])}`;
    case 'create_index':
      return `building index ${op.arguments.get('index_name')?.text ?? ''} on ${named(op.table, 'a table')}`.replace('  ', ' ');
    default:
      return undefined;
  }
}

function columnNamed(table: unknown, column: unknown): string {
  if (typeof table === 'string' && typeof column === 'string') return `"${table}.${column}"`;
  if (typeof column === 'string') return `column "${column}"`;
  return typeof table === 'string' ? `a column of "${table}"` : 'a column';
}

function sqlRemoval(effect: SqlEffect): string | undefined {
  if (effect.kind === 'drop_table') return `dropping ${effect.tables.map((t) => `"${t}"`).join(', ')}`;
  if (effect.kind === 'drop_column') return `dropping ${effect.columns.map((c) => `"${effect.table}.${c}"`).join(', ')}`;
  if (effect.kind === 'rename_table') return `renaming table "${effect.table}"`;
  if (effect.kind === 'rename_column') return `renaming "${effect.table}.${effect.column}"`;
  return undefined;
}

function sqlAddition(effect: SqlEffect): string | undefined {
  if (effect.kind === 'create_table' && !effect.temporary) return `creating table "${effect.table}"`;
  if (effect.kind === 'add_column') return `adding "${effect.table}.${effect.column.name}"`;
  if (effect.kind === 'create_index') return `building an index on "${effect.table}"`;
  return undefined;
}
