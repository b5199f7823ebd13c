import type { Severity } from '../project/guardConfig';
import type { Position, Range } from '../text/sourceText';

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface FileEdit {
  file: string;
  edits: TextEdit[];
  /** The file does not exist yet: create it, then apply the edits to the empty file. */
  create?: boolean;
}

/** A mechanical change that resolves a finding; may touch several files (env.py, models). */
export interface Fix {
  title: string;
  edits: FileEdit[];
  preferred?: boolean;
  /** Where the cursor goes afterwards, when the user has something to type (an ignore reason). */
  cursor?: { file: string; position: Position };
}

export interface Finding {
  code: string;
  name: string;
  severity: Severity;
  file: string;
  range: Range;
  message: string;
  fixes: Fix[];
}

/** What a rule reports; the analyzer adds code, name and the configured severity. */
export interface Report {
  file: string;
  range: Range;
  message: string;
  fixes: Fix[];
  /** This report's own severity (a policy, a milder case); configured severities still win. */
  severity?: Severity;
}
