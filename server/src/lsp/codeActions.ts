import { CodeAction, CodeActionKind, CreateFile, Diagnostic, OptionalVersionedTextDocumentIdentifier, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import type { Finding, Fix } from '../engine/analysis/finding';
import { SHOW_DOCUMENTATION_COMMAND } from './findingHover';

export const PLACE_CURSOR_COMMAND = 'alembicGuard.placeCursor';

/**
 * A fix as a code action. Every edit names the document version it was computed against
 * (null for files not open), so the editor refuses it once the text has moved on.
 */
export function fixToCodeAction(fix: Fix, diagnostic: Diagnostic, versionOf: (file: string) => number | null): CodeAction {
  const edit = workspaceEditOf(fix.edits, versionOf);
  const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit, isPreferred: fix.preferred };
  if (fix.cursor) {
    action.command = { title: 'Type the reason', command: PLACE_CURSOR_COMMAND, arguments: [URI.file(fix.cursor.file).toString(), fix.cursor.position] };
  }
  return action;
}

export function documentationAction(finding: Finding, diagnostic: Diagnostic): CodeAction {
  return {
    title: `Show documentation for ${finding.code} (${finding.name})`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    command: { title: `Show documentation for ${finding.code}`, command: SHOW_DOCUMENTATION_COMMAND, arguments: [finding.code] },
  };
}

/** Edits to several files as one workspace edit; a file that does not exist yet is created first. */
export function workspaceEditOf(edits: Fix['edits'], versionOf: (file: string) => number | null): WorkspaceEdit {
  return {
    documentChanges: edits.flatMap((fileEdit) => {
      const uri = URI.file(fileEdit.file).toString();
      const change = TextDocumentEdit.create(OptionalVersionedTextDocumentIdentifier.create(uri, fileEdit.create ? null : versionOf(fileEdit.file)), fileEdit.edits);
      return fileEdit.create ? [CreateFile.create(uri, { ignoreIfExists: true }), change] : [change];
    }),
  };
}

/** The code action kind of our fix-all, for `editor.codeActionsOnSave: { "source.fixAll.alembic-guard": "explicit" }`. */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.alembic-guard`;
