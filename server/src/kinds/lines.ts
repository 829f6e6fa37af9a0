import type { SourceText } from '../model/positions';

/** Helpers for line-based comment syntax, shared by the kind adapters. */

/**
 * Lines whose first non-blank characters are `token`, except lines inside `blocked` offset spans
 * (text that only looks like a comment, e.g. in a YAML block scalar).
 */
export function tokenCommentLines(
  source: SourceText,
  token: string,
  blocked: ReadonlyArray<readonly [number, number]> = [],
): Set<number> {
  const blockedLines = new Set<number>();
  for (const [start, end] of blocked)
    for (let l = source.positionAt(start).line + 1; l <= source.positionAt(end).line; l++) blockedLines.add(l);
  const comment = commentPattern(token);
  const lines = new Set<number>();
  for (let line = 0; line < source.lineCount; line++) {
    if (!blockedLines.has(line) && comment.test(source.lineText(line))) lines.add(line);
  }
  return lines;
}

const commentPatterns = new Map<string, RegExp>();

/** `^\s*<token>`, compiled once per token. */
function commentPattern(token: string): RegExp {
  let pattern = commentPatterns.get(token);
  if (!pattern) {
    pattern = new RegExp(`^\\s*${escapeRegExp(token)}`);
    commentPatterns.set(token, pattern);
  }
  return pattern;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The line after a `#!` interpreter line, else the first: where file-wide comments may go. */
export function afterShebang(source: SourceText): number {
  return source.lineCount > 0 && source.lineText(0).startsWith('#!') ? 1 : 0;
}

const ENDS_WITH_BACKSLASH = /\\\s*$/;

/** The last line of the backslash-continued line starting at `line`. */
export function continuedTo(source: SourceText, line: number): number {
  let end = line;
  while (end + 1 < source.lineCount && ENDS_WITH_BACKSLASH.test(source.lineText(end))) end++;
  return end;
}

/** The first line of the backslash-continued line holding `line`. */
export function continuedFrom(source: SourceText, line: number): number {
  let start = line;
  while (start > 0 && ENDS_WITH_BACKSLASH.test(source.lineText(start - 1))) start--;
  return start;
}
