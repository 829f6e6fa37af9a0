/**
 * The lines of a text (split at `\n`, as `text.split('\n')` would: a `\r` before it stays in the
 * line), by start offset. An index derived from the previous version of a document reuses the
 * offsets of the lines an edit did not touch.
 */
const BLOCK = 512;

export class LineIndex {
  private constructor(
    readonly text: string,
    private readonly starts: readonly number[],
  ) {}

  static of(text: string): LineIndex {
    const starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return new LineIndex(text, starts);
  }

  get count(): number {
    return this.starts.length;
  }

  line(i: number): string {
    const start = this.starts[i]!;
    return i + 1 < this.starts.length ? this.text.slice(start, this.starts[i + 1]! - 1) : this.text.slice(start);
  }

  lines(from: number, to: number): string[] {
    const result: string[] = [];
    for (let i = from; i <= to; i++) result.push(this.line(i));
    return result;
  }

  /**
   * The index of `text`, a later version of this text, and which lines changed: the first
   * `unchangedBefore` and the last `unchangedAfter` lines are identical in both versions.
   */
  update(text: string): { index: LineIndex; unchangedBefore: number; unchangedAfter: number } {
    const old = this.text;
    const shortest = Math.min(old.length, text.length);
    // Whole blocks compare as strings (a native comparison), the rest character by character.
    let prefix = 0;
    while (prefix + BLOCK <= shortest && old.slice(prefix, prefix + BLOCK) === text.slice(prefix, prefix + BLOCK))
      prefix += BLOCK;
    while (prefix < shortest && old.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
    let suffix = 0;
    while (
      suffix + BLOCK <= shortest - prefix &&
      old.slice(old.length - suffix - BLOCK, old.length - suffix) ===
        text.slice(text.length - suffix - BLOCK, text.length - suffix)
    )
      suffix += BLOCK;
    while (
      suffix < shortest - prefix &&
      old.charCodeAt(old.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)
    )
      suffix++;
    const first = this.lineAt(prefix);
    const suffixStart = old.length - suffix;
    let last = this.lineAt(suffixStart);
    // A common suffix that starts a line in both versions leaves that line unchanged (a line was
    // inserted or removed before it): then `last` may end before `first` (nothing old changed).
    if (
      last >= first &&
      this.starts[last] === suffixStart &&
      suffixStart > 0 &&
      text.charCodeAt(text.length - suffix - 1) === 10
    )
      last--;
    const shift = text.length - old.length;
    const nextStart = last + 1 < this.starts.length ? this.starts[last + 1]! + shift : Infinity;
    // Line `first` exists in the new text unless whole lines were removed and nothing replaced them.
    const starts = this.starts.slice(0, nextStart > this.starts[first]! ? first + 1 : first);
    for (let i = text.indexOf('\n', this.starts[first]); i >= 0 && i + 1 < nextStart; i = text.indexOf('\n', i + 1))
      starts.push(i + 1);
    for (let k = last + 1; k < this.starts.length; k++) starts.push(this.starts[k]! + shift);
    return {
      index: new LineIndex(text, starts),
      unchangedBefore: first,
      unchangedAfter: this.starts.length - 1 - last,
    };
  }

  /** The line containing `offset` (the last line for the end of the text). */
  private lineAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
