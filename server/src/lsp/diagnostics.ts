import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver/node';
import type { LintResult } from '../engine/lint';
import { SOURCE, toDiagnostic } from './convert';

/** The code of the notice on a document DriftGuard did not analyse. */
export const NOT_ANALYSED = 'not-analysed';

/**
 * What the editor shows for one lint of an open document: its problems, or, when the document was
 * skipped (a merge-key bomb, a binary file, invalid YAML…), one information diagnostic on the first
 * line saying why, so a file without findings is never mistaken for a file that was checked.
 */
export function publishedDiagnostics(result: Pick<LintResult, 'problems' | 'skipped'>): Diagnostic[] {
  if (result.skipped !== undefined)
    return [
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: DiagnosticSeverity.Information,
        source: SOURCE,
        code: NOT_ANALYSED,
        message: `DriftGuard did not analyse this file: ${result.skipped}`,
      },
    ];
  return result.problems.map(toDiagnostic);
}
