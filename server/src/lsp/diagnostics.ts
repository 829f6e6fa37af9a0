import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver/node';
import type { LintResult } from '../engine/lint';
import type { Problem, ReportedSeverity } from '../engine/types';
import { SOURCE, toDiagnostic } from './convert';

/** The code of the notice on a document DriftGuard did not analyse. */
export const NOT_ANALYSED = 'not-analysed';
/** The code of the notice saying how many findings of a document are not shown. */
export const NOT_SHOWN = 'not-shown';

/**
 * Findings published per document. Beyond a few hundred nobody reads them one by one, and tens of
 * thousands (a generated 900 KB file) slow every editor that receives them; the CLI reports them all.
 */
export const MAX_PUBLISHED = 1000;

const RANK: Record<ReportedSeverity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/**
 * What the editor shows for one lint of a document: its problems — at most `MAX_PUBLISHED`, the most
 * severe first, then one information diagnostic on the first line saying how many more there are —
 * or, when the document was skipped (a merge-key bomb, a binary file, invalid YAML…), one information
 * diagnostic on the first line saying why, so a file without findings is never mistaken for a file
 * that was checked. `convert` is `toDiagnostic` or gives what it gives.
 */
export function publishedDiagnostics(
  result: Pick<LintResult, 'problems' | 'skipped'>,
  convert: (problem: Problem) => Diagnostic = toDiagnostic,
): Diagnostic[] {
  if (result.skipped !== undefined)
    return [notice(NOT_ANALYSED, `DriftGuard did not analyse this file: ${result.skipped}`)];
  const problems = result.problems;
  if (problems.length <= MAX_PUBLISHED) return problems.map((problem) => convert(problem));
  const shown = [...problems]
    .map((problem, order) => ({ problem, order }))
    .sort((a, b) => RANK[a.problem.severity] - RANK[b.problem.severity] || a.order - b.order)
    .slice(0, MAX_PUBLISHED)
    .sort((a, b) => a.order - b.order)
    .map(({ problem }) => convert(problem));
  const hidden = problems.length - MAX_PUBLISHED;
  return [
    notice(
      NOT_SHOWN,
      `${count(hidden)} more ${hidden === 1 ? 'finding' : 'findings'} in this file not shown: the editor lists ` +
        `${count(MAX_PUBLISHED)} per file, the most severe first (${breakdown(problems)} in all); ` +
        'the driftguard CLI lists them all.',
    ),
    ...shown,
  ];
}

function notice(code: string, message: string): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source: SOURCE,
    code,
    message,
  };
}

function breakdown(problems: readonly Problem[]): string {
  const bySeverity = new Map<ReportedSeverity, number>();
  for (const p of problems) bySeverity.set(p.severity, (bySeverity.get(p.severity) ?? 0) + 1);
  return (['error', 'warning', 'info', 'hint'] as const)
    .filter((s) => bySeverity.has(s))
    .map((s) => `${count(bySeverity.get(s)!)} ${s}`)
    .join(', ');
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
