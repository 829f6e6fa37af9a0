import * as path from 'node:path';
import type { ScanOutcome } from '../scan';

/** ESLint "stylish"-like output: one block per file, 1-based line:column, totals at the end. */
export function formatText(outcome: ScanOutcome, cwd: string): string {
  const lines: string[] = [];
  const counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const file of outcome.files) {
    const rel = path.relative(cwd, file.path) || file.path;
    if (file.skipped) {
      lines.push(`${rel}`, `  skipped: ${file.skipped}`, '');
      continue;
    }
    if (file.problems.length === 0 && file.internalErrors.length === 0) continue;
    lines.push(rel);
    const rows = file.problems.map(
      (p) => [`${p.range.start.line + 1}:${p.range.start.character + 1}`, p.severity, p.message, p.ruleId] as const,
    );
    const w0 = Math.max(0, ...rows.map((r) => r[0].length));
    const w1 = Math.max(0, ...rows.map((r) => r[1].length));
    for (const [pos, sev, msg, rule] of rows) {
      counts[sev]++;
      lines.push(`  ${pos.padEnd(w0)}  ${sev.padEnd(w1)}  ${msg}  ${rule}`);
    }
    for (const e of file.internalErrors) lines.push(`  internal error: ${e.split('\n')[0]}`);
    lines.push('');
  }
  for (const p of outcome.configProblems)
    lines.push(`${path.relative(cwd, p.path)}:${p.line + 1}:${p.character + 1}  config error  ${p.message}`);
  const total = counts.error + counts.warning + counts.info + counts.hint;
  const skipped = outcome.files.filter((f) => f.skipped).length;
  lines.push(
    `${total === 0 ? '✔' : '✖'} ${total} problem${total === 1 ? '' : 's'} ` +
      `(${counts.error} errors, ${counts.warning} warnings, ${counts.info} infos, ${counts.hint} hints) ` +
      `in ${outcome.files.length} files${skipped ? `, ${skipped} skipped` : ''}`,
  );
  return lines.join('\n') + '\n';
}
