import { createHash } from 'node:crypto';
import type { Problem } from '../../engine/types';

/** The SARIF `partialFingerprints` key; the version changes only if the recipe below changes. */
export const FINGERPRINT_KEY = 'driftguardFindingHash/v1';

/**
 * Fingerprints of one file's problems, in their order, for SARIF `partialFingerprints`: a hash of
 * the rule, the file's path, the flagged text and the text of the line it starts on (whitespace
 * collapsed), then `:n` for the n-th finding with the same hash in the file. No line number goes
 * in, so a finding keeps its fingerprint when lines are added or removed above it, and code
 * scanning keeps tracking the same alert; it changes when the flagged line itself changes.
 */
export function fingerprints(relativePath: string, text: string | undefined, problems: readonly Problem[]): string[] {
  const lines = text?.split(/\r\n|\r|\n/);
  const seen = new Map<string, number>();
  return problems.map((p) => {
    const line = lines?.[p.range.start.line] ?? '';
    const flagged = lines ? slice(lines, p) : p.message;
    const hash = createHash('sha256')
      .update([p.ruleId, relativePath, squash(flagged), squash(line)].join('\0'))
      .digest('hex')
      .slice(0, 32);
    const n = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, n);
    return `${hash}:${n}`;
  });
}

function slice(lines: readonly string[], p: Problem): string {
  const { start, end } = p.range;
  if (start.line === end.line) return (lines[start.line] ?? '').slice(start.character, end.character);
  return [
    (lines[start.line] ?? '').slice(start.character),
    ...lines.slice(start.line + 1, end.line),
    (lines[end.line] ?? '').slice(0, end.character),
  ].join('\n');
}

function squash(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
