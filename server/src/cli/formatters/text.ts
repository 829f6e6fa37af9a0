import * as path from 'node:path';
import type { ReportedSeverity } from '../../engine/types';
import { count } from '../../text/plural';
import { Palette, palette } from '../color';
import type { ScanOutcome } from '../scan';
import { printable } from '../terminalText';

export interface TextOptions {
  /** ANSI colours (a terminal that wants them); plain text otherwise. */
  color?: boolean;
}

const SEVERITY_ORDER: readonly ReportedSeverity[] = ['error', 'warning', 'info', 'hint'];

function severityStyle(c: Palette, severity: ReportedSeverity): (text: string) => string {
  return severity === 'error' ? c.red : severity === 'warning' ? c.yellow : severity === 'info' ? c.cyan : c.dim;
}

/**
 * ESLint "stylish"-like output: one block per file, 1-based line:column, config problems, then one
 * summary line: "✖ 5 problems (3 warnings, 2 info) in 2 of 14 files".
 */
export function formatText(outcome: ScanOutcome, cwd: string, options: TextOptions = {}): string {
  const c = palette(!!options.color);
  // Everything that comes from files (paths, messages, reasons) is made printable: a name or a
  // message cannot move the cursor, clear the screen or forge a line.
  const show = (p: string) => printable(path.relative(cwd, p) || p);
  const lines: string[] = [];
  const counts: Record<ReportedSeverity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  let filesWithProblems = 0;
  for (const file of outcome.files) {
    const rel = show(file.path);
    if (file.skipped) {
      lines.push(c.underline(rel), `  ${c.yellow('skipped')}: ${printable(file.skipped)}`, '');
      continue;
    }
    if (file.problems.length === 0 && file.internalErrors.length === 0) continue;
    if (file.problems.length > 0) filesWithProblems++;
    lines.push(c.underline(rel));
    const rows = file.problems.map(
      (p) =>
        [
          `${p.range.start.line + 1}:${p.range.start.character + 1}`,
          p.severity,
          printable(p.message),
          p.ruleId,
        ] as const,
    );
    const w0 = Math.max(0, ...rows.map((r) => r[0].length));
    const w1 = Math.max(0, ...rows.map((r) => r[1].length));
    for (const [pos, sev, msg, rule] of rows) {
      counts[sev]++;
      lines.push(`  ${c.dim(pos.padEnd(w0))}  ${severityStyle(c, sev)(sev.padEnd(w1))}  ${msg}  ${c.dim(rule)}`);
    }
    for (const e of file.internalErrors)
      lines.push(`  ${c.red('internal error')}: ${printable(e.split('\n')[0] ?? '')}`);
    lines.push('');
  }
  for (const entry of outcome.skipped) lines.push(show(entry.path), `  skipped: ${printable(entry.reason)}`, '');
  for (const p of outcome.configProblems)
    lines.push(`${c.underline(configPosition(p, cwd))}  ${c.red('config error')}  ${printable(p.message)}`);
  if (outcome.configProblems.length > 0) lines.push('');
  lines.push(summary(outcome, counts, filesWithProblems, c));
  return lines.join('\n') + '\n';
}

function summary(
  outcome: ScanOutcome,
  counts: Record<ReportedSeverity, number>,
  filesWithProblems: number,
  c: Palette,
): string {
  const skippedFiles = outcome.files.filter((f) => f.skipped).length;
  const analysed = outcome.files.length - skippedFiles;
  // Files not analysed, and other files and folders not read: each listed above with the reason.
  const skippedNote =
    (skippedFiles ? `; ${count(skippedFiles, 'file')} skipped` : '') +
    (outcome.skipped.length ? `; ${outcome.skipped.length} not read` : '');
  const total = SEVERITY_ORDER.reduce((sum, s) => sum + counts[s], 0);
  if (total === 0) {
    const where = analysed === 0 ? 'no file to check' : `no problems in ${count(analysed, 'file')}`;
    return `${c.green('✔')} ${where}${skippedNote}`;
  }
  const parts = SEVERITY_ORDER.filter((s) => counts[s] > 0).map((s) =>
    severityStyle(c, s)(count(counts[s], s, s === 'info' ? 'info' : `${s}s`)),
  );
  const mark = counts.error > 0 ? c.red('✖') : counts.warning > 0 ? c.yellow('✖') : c.cyan('✖');
  const where = `in ${filesWithProblems} of ${count(analysed, 'file')}`;
  return `${mark} ${c.bold(count(total, 'problem'))} (${parts.join(', ')}) ${where}${skippedNote}`;
}

function configPosition(p: ScanOutcome['configProblems'][number], cwd: string): string {
  return `${printable(path.relative(cwd, p.path))}:${p.line + 1}:${p.character + 1}`;
}
