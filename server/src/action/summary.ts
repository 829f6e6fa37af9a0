import * as path from 'node:path';
import type { ReportedSeverity } from '../engine/types';
import { docsUrl } from '../engine/rule';
import type { ScanOutcome } from '../cli/scan';
import { toPosix } from '../workspace/posixPath';

/** Findings listed one by one in the summary; the rest are counted (the SARIF report has them all). */
export const SUMMARY_FINDINGS = 50;

const ORDER: ReportedSeverity[] = ['error', 'warning', 'info', 'hint'];

export interface SummaryContext {
  cwd: string;
  /** `https://github.com/<owner>/<repo>/blob/<sha>/`, to link each finding to its line; absent: no links. */
  blobBase?: string;
  sarifFile: string;
  failOn: string;
  failed: boolean;
}

/** The job summary (GitHub-flavoured Markdown): totals, findings per rule, the first findings. */
export function jobSummary(outcome: ScanOutcome, context: SummaryContext): string {
  const findings = outcome.files.flatMap((file) =>
    file.problems.map((p) => ({ file: relative(context.cwd, file.path), p })),
  );
  const flagged = outcome.files.filter((f) => f.problems.length > 0).length;
  const skipped = outcome.files.filter((f) => f.skipped).length;
  const lines: string[] = [];
  const verdict = context.failed ? '❌' : '✅';
  const scanned = plural(outcome.files.length, 'file');
  lines.push(
    `### ${verdict} DriftGuard: ${plural(findings.length, 'finding')} in ${flagged} of ${scanned}` +
      (skipped ? ` (${skipped} skipped)` : ''),
    '',
  );
  if (outcome.configProblems.length > 0) {
    lines.push('**Configuration errors:**', '');
    for (const c of outcome.configProblems)
      lines.push(`- \`${relative(context.cwd, c.path)}:${c.line + 1}:${c.character + 1}\` ${cell(c.message)}`);
    lines.push('');
  }
  if (findings.length > 0) {
    const perRule = new Map<string, Record<ReportedSeverity, number>>();
    for (const { p } of findings) {
      const counts = perRule.get(p.ruleId) ?? { error: 0, warning: 0, info: 0, hint: 0 };
      counts[p.severity]++;
      perRule.set(p.ruleId, counts);
    }
    lines.push('| Rule | ' + ORDER.join(' | ') + ' |', '|---|' + ORDER.map(() => '--:|').join(''));
    for (const [rule, counts] of [...perRule].sort((a, b) => a[0].localeCompare(b[0])))
      lines.push(`| [${rule}](${docsUrl(rule)}) | ${ORDER.map((s) => counts[s] || '').join(' | ')} |`);
    lines.push('', '| Where | Severity | Rule | Finding |', '|---|---|---|---|');
    for (const { file, p } of findings.slice(0, SUMMARY_FINDINGS)) {
      const where = `${file}:${p.range.start.line + 1}`;
      const link = context.blobBase
        ? `[${cell(where)}](${context.blobBase}${urlPath(file)}#L${p.range.start.line + 1})`
        : `\`${cell(where)}\``;
      lines.push(`| ${link} | ${p.severity} | ${p.ruleId} | ${cell(p.message)} |`);
    }
    if (findings.length > SUMMARY_FINDINGS)
      lines.push('', `… and ${findings.length - SUMMARY_FINDINGS} more in \`${cell(context.sarifFile)}\`.`);
    lines.push('');
  }
  lines.push(
    `Fails on: ${context.failOn}. SARIF report: \`${cell(context.sarifFile)}\` ` +
      '(upload it with `github/codeql-action/upload-sarif`).',
    '',
  );
  return lines.join('\n');
}

function relative(cwd: string, file: string): string {
  return toPosix(path.relative(cwd, file) || file);
}

function urlPath(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Text for a Markdown table cell: one line, pipes escaped, and outside code spans no HTML of its
 * own (`<version>` would be taken for a tag); inside them characters show as they are.
 */
function cell(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .split(/(`[^`]*`)/)
    .map((part) =>
      part.startsWith('`') ? part : part.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
    )
    .join('')
    .replace(/\|/g, '\\|');
}
