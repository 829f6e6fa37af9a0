import type { TextEdit } from './types';
import { SourceText } from '../model/positions';

/**
 * Orders edits and drops any that overlap an earlier-accepted one (the fix-all contract: one pass,
 * non-overlapping; a dropped fix is picked up by the next pass once the text has changed).
 * Insertions at the same point are kept in their given order.
 */
export function nonOverlapping(source: SourceText, edits: readonly TextEdit[]): TextEdit[] {
  const withOffsets = edits.map((edit, index) => ({
    edit,
    index,
    start: source.offsetAt(edit.range.start),
    end: source.offsetAt(edit.range.end),
  }));
  withOffsets.sort((a, b) => a.start - b.start || a.end - b.end || a.index - b.index);
  const accepted: typeof withOffsets = [];
  let lastEnd = -1;
  for (const item of withOffsets) {
    const last = accepted[accepted.length - 1];
    const overlapsLast =
      last !== undefined &&
      (item.start < lastEnd || (item.start === last.start && item.end > item.start && last.end > last.start));
    if (overlapsLast) continue;
    accepted.push(item);
    lastEnd = Math.max(lastEnd, item.end);
  }
  return accepted.map((a) => a.edit);
}

/** Applies edits (already non-overlapping) to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const source = new SourceText('file:///apply', text);
  const ordered = nonOverlapping(source, edits).map((edit) => ({
    edit,
    start: source.offsetAt(edit.range.start),
    end: source.offsetAt(edit.range.end),
  }));
  let result = '';
  let cursor = 0;
  for (const { edit, start, end } of ordered) {
    result += text.slice(cursor, start) + edit.newText;
    cursor = end;
  }
  return result + text.slice(cursor);
}
