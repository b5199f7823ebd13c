import type { Report } from '../analysis/finding';
import type { MigrationFile } from '../migration/migrationFile';
import type { AlembicProject } from '../project/alembicProject';
import type { Severity } from '../project/guardConfig';
import type { SourceText } from '../text/sourceText';

/** The documentation every rule carries; the hover, `explain` and the README all read it. */
export interface RuleDocumentation {
  whatItDoes: string;
  whyIsThisBad: string;
  example: string;
  useInstead: string;
  fix: string;
  /** The incident or guide the rule comes from. */
  origin: string;
}

export interface ProjectContext {
  project: AlembicProject;
  /** Text of any project file (env.py, models), for fixes that edit other files. */
  source(file: string): SourceText | undefined;
  /**
   * Whether git may run in this workspace. A repository's own configuration can steer even a
   * read-only git query, so an untrusted editor workspace runs none.
   */
  mayRunGit: boolean;
}

export interface MigrationContext extends ProjectContext {
  migration: MigrationFile;
  text: SourceText;
}

interface RuleMeta {
  code: string;
  name: string;
  defaultSeverity: Severity;
  /** One line, for `alembic-guard rules` and the README table. */
  summary: string;
  docs: RuleDocumentation;
}

export interface MigrationRule extends RuleMeta {
  scope: 'migration';
  check(context: MigrationContext): Report[];
}

export interface ProjectRule extends RuleMeta {
  scope: 'project';
  check(context: ProjectContext): Report[];
}

/** AG901/AG902 judge ignore comments themselves; the analyzer runs them after the others. */
export interface SuppressionRule extends RuleMeta {
  scope: 'suppression';
}

export type Rule = MigrationRule | ProjectRule | SuppressionRule;
