import type { SourceText } from './positions';
import { ImageReference, ImageReferenceSource, parseImageReference } from './imageRef';
import { interpolate, type InterpolateOptions, type VariableLookup } from './interpolate';

/** An image reference's text in a document: its value, where it starts, and whether the text there spells it. */
export interface WrittenValue {
  value: string;
  /** Offsets of the text as written (inside quotes), from the parser. */
  start: number;
  end: number;
  /** True when the document text at `start` is `value` itself (no escapes, folding or quotes inside). */
  literal: boolean;
}

export interface ImageAtOptions extends InterpolateOptions {
  /** Variables the file defines itself; null for one it cannot know. Absent: `$` is literal text. */
  lookup?: VariableLookup;
  /** Where a variable's own value is written, for a reference that is exactly `$NAME`: the pin edits it there. */
  variableTarget?: (name: string) => WrittenValue | undefined;
}

/**
 * The image reference a written value names, with part ranges and an edit target when the text
 * holds it literally. Undefined when the value is empty, depends on something the file does not
 * define (`$CI_REGISTRY_IMAGE`, `${{ matrix.image }}`) or is not an image reference.
 */
export function imageReferenceAt(
  source: SourceText,
  written: WrittenValue,
  kind: ImageReferenceSource,
  options: ImageAtOptions = {},
): ImageReference | undefined {
  const { value, start, end, literal } = written;
  if (value.includes('${{') || value.includes('$[[')) return undefined;
  const resolved = options.lookup
    ? interpolate(value, options.lookup, options)
    : { value, usedVariables: false as boolean };
  if (!resolved || resolved.value === '') return undefined;
  const image = parseImageReference(resolved.value);
  if (!image) return undefined;
  const ref: ImageReference = {
    source: kind,
    written: source.text.slice(start, end),
    range: source.rangeOf(start, end),
    resolved: resolved.value,
    image,
    viaVariable: resolved.usedVariables,
  };
  if (!literal) return ref;
  if (!resolved.usedVariables) {
    ref.nameRange = source.rangeOf(start, start + image.nameEnd);
    if (image.tagStart !== undefined)
      ref.tagRange = source.rangeOf(start + image.tagStart, start + image.tagStart + image.tag!.length);
    if (image.digestStart !== undefined) ref.digestRange = source.rangeOf(start + image.digestStart, end);
    ref.editTarget = { range: source.rangeOf(start, end), text: value };
  } else if ('literalSpan' in resolved && resolved.literalSpan) {
    const s = start + resolved.literalSpan.start;
    const e = start + resolved.literalSpan.end;
    ref.editTarget = { range: source.rangeOf(s, e), text: source.text.slice(s, e) };
  } else if ('fromVariable' in resolved && resolved.fromVariable) {
    const definition = options.variableTarget?.(resolved.fromVariable);
    if (definition?.literal)
      ref.editTarget = { range: source.rangeOf(definition.start, definition.end), text: definition.value };
  }
  return ref;
}
