import { Scalar } from 'yaml';
import type { ShellPlace, ShellSnippet } from '../snippet';
import { SnippetBuilder } from '../snippet';
import type { ArgvElement } from './argv';

/**
 * A scalar's string value with the document offset of each character, found by aligning the value
 * with the written text (quotes, escapes, indentation and folding are skipped). With
 * `dollarEscape` (Compose), `$$` becomes `$`, as the container receives it.
 */
export function yamlScalarElement(
  text: string,
  node: Scalar,
  options: { dollarEscape?: boolean } = {},
): ArgvElement | undefined {
  if (!node.range || (typeof node.value !== 'string' && typeof node.value !== 'number')) return undefined;
  const value = String(node.value);
  const [start, end] = node.range;
  let p = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE ? start + 1 : start;
  const offsets: number[] = [];
  for (let k = 0; k < value.length; k++) {
    const ch = value[k]!;
    let q = p;
    const limit = Math.min(end, p + 256);
    while (q < limit && !(text[q] === ch || (ch === ' ' && text[q] === '\n'))) q++;
    if (q < limit) {
      offsets.push(q);
      p = q + 1;
    } else offsets.push(Math.min(p, end));
  }
  if (!options.dollarEscape) {
    offsets.push(offsets.length > 0 ? Math.min(offsets[offsets.length - 1]! + 1, end) : p);
    return { value, offsets, written: [start, end] };
  }
  let out = '';
  const outOffsets: number[] = [];
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '$' && value[i + 1] === '$') {
      out += '$';
      outOffsets.push(offsets[i]!);
      i++;
      continue;
    }
    out += value[i];
    outOffsets.push(offsets[i]!);
  }
  outOffsets.push(offsets.length > 0 ? Math.min(offsets[offsets.length - 1]! + 1, end) : p);
  return { value: out, offsets: outOffsets, written: [start, end] };
}

/** Template expressions a CI system substitutes before the shell runs: GitHub's `${{ … }}`, GitLab's `$[[ … ]]`. */
export const GITHUB_EXPRESSION = ['${{', '}}'] as const;
export const GITLAB_INPUT = ['$[[', ']]'] as const;

/**
 * Shell text of a script written as one value (a YAML scalar, a JSON string), parsed as a whole.
 * Each template expression of `expression` stands as the neutral word `EXPR`, so the shell parser
 * sees the script's structure.
 */
export function scriptSnippet(
  element: ArgvElement,
  meta: { place: ShellPlace; origin: string },
  expression?: readonly [string, string],
): ShellSnippet {
  const { value, offsets } = element;
  const builder = new SnippetBuilder();
  let from = 0;
  if (expression) {
    const [opening, closing] = expression;
    for (let open = value.indexOf(opening); open >= 0; open = value.indexOf(opening, from)) {
      const close = value.indexOf(closing, open + opening.length);
      if (close < 0) break;
      builder.mapped(value.slice(from, open), offsets.slice(from, open));
      builder.synthetic('EXPR', offsets[open]!);
      from = close + closing.length;
    }
  }
  builder.mapped(value.slice(from), offsets.slice(from, value.length));
  return builder.build(offsets[value.length]!, { ...meta, editable: false, depth: 0 });
}
