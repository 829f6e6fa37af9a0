import {
  CodeAction,
  CodeActionKind,
  Diagnostic,
  DiagnosticSeverity,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { Fix, Problem, ReportedSeverity } from '../engine/types';
import { docsUrl } from '../engine/rule';

const SEVERITY: Record<ReportedSeverity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const SOURCE = 'driftguard';

export function toDiagnostic(problem: Problem): Diagnostic {
  return {
    range: problem.range,
    severity: SEVERITY[problem.severity],
    source: SOURCE,
    code: problem.ruleId,
    codeDescription: { href: docsUrl(problem.ruleId) },
    message: problem.message,
    data: { ruleId: problem.ruleId },
  };
}

/** A text-document edit pinned to the version the fix was computed for (the client refuses stale ones). */
export function workspaceEdit(
  uri: string,
  version: number | null,
  edits: TextEdit[],
  documentChanges: boolean,
): WorkspaceEdit {
  return documentChanges
    ? { documentChanges: [{ textDocument: { uri, version }, edits }] }
    : { changes: { [uri]: edits } };
}

export function fixToCodeAction(
  fix: Fix,
  uri: string,
  version: number | null,
  diagnostics: Diagnostic[],
  options: { documentChanges: boolean; snippets: boolean; kind?: string },
): CodeAction {
  const edits = fix.snippet && !options.snippets ? (fix.plainEdits ?? fix.edits) : fix.edits;
  const action: CodeAction = {
    title: fix.title,
    kind: options.kind ?? CodeActionKind.QuickFix,
    diagnostics,
    edit: workspaceEdit(uri, version, edits, options.documentChanges),
  };
  if (fix.preferred) action.isPreferred = true;
  return action;
}
