import type { ShellPlace, ShellSnippet } from '../snippet';
import { SnippetBuilder } from '../snippet';

/** One exec-form element (JSON array item, YAML list item) with the document offset of each character. */
export interface ArgvElement {
  value: string;
  /** Document offset of each character of `value`, plus one entry for the end. */
  offsets: number[];
  /** Document span of the element as written, quotes included. */
  written: [number, number];
}

/**
 * Exec form as shell text: each element single-quoted (`'` written as `'\''`), so the parser sees
 * exactly these argv words and `["sh", "-c", "…"]` becomes a nested payload like any other.
 */
export function argvSnippet(
  elements: readonly ArgvElement[],
  meta: { place: ShellPlace; origin: string },
): ShellSnippet | undefined {
  if (elements.length === 0) return undefined;
  const builder = new SnippetBuilder();
  for (const element of elements) {
    const [start, end] = element.written;
    builder.synthetic(' ', start).synthetic("'", start);
    for (let i = 0; i < element.value.length; i++) {
      const ch = element.value[i]!;
      if (ch === "'") builder.synthetic("'\\''", element.offsets[i]!);
      else builder.mapped(ch, [element.offsets[i]!]);
    }
    builder.synthetic("'", Math.max(start, end - 1));
  }
  const last = elements[elements.length - 1]!;
  return builder.build(last.written[1], { ...meta, editable: false, depth: 0 });
}
