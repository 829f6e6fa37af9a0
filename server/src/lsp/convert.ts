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

/**
 * `toDiagnostic` for the problems of a document's lint, reusing the diagnostics of the problems its
 * last lint had (`before`): an incremental lint returns the problems it did not analyse again as the
 * same objects (problems never change once a lint returns them), so a keystroke converts only those
 * of the part it linted again. `converted` is the `before` of the next lint. (A map per document,
 * not a WeakMap: ephemerons keep young objects alive through a scavenge.)
 */
export function reusingDiagnostics(before: ReadonlyMap<Problem, Diagnostic> | undefined): {
  convert: (problem: Problem) => Diagnostic;
  converted: Map<Problem, Diagnostic>;
} {
  const converted = new Map<Problem, Diagnostic>();
  const convert = (problem: Problem) => {
    const diagnostic = before?.get(problem) ?? toDiagnostic(problem);
    converted.set(problem, diagnostic);
    return diagnostic;
  };
  return { convert, converted };
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

/**
 * A fix as a code action. A snippet fix (`${1:reason}` tab stops) goes as LSP 3.18 `SnippetTextEdit`s
 * where the client takes them (`snippetEdits`), as snippet text where it takes rust-analyzer's
 * `snippetTextEdit` (`snippets`), and as its plain text everywhere else.
 */
export function fixToCodeAction(
  fix: Fix,
  uri: string,
  version: number | null,
  diagnostics: Diagnostic[],
  options: { documentChanges: boolean; snippets: boolean; snippetEdits?: boolean; kind?: string },
): CodeAction {
  const snippetEdits = !!fix.snippet && !!options.snippetEdits && options.documentChanges;
  const edits = fix.snippet && !options.snippets && !snippetEdits ? (fix.plainEdits ?? fix.edits) : fix.edits;
  const action: CodeAction = {
    title: fix.title,
    kind: options.kind ?? CodeActionKind.QuickFix,
    diagnostics,
    edit: snippetEdits
      ? {
          documentChanges: [
            {
              textDocument: { uri, version },
              edits: edits.map((e) => ({ range: e.range, snippet: { kind: 'snippet', value: e.newText } })),
            },
          ],
        }
      : workspaceEdit(uri, version, edits, options.documentChanges),
  };
  if (fix.preferred) action.isPreferred = true;
  return action;
}
