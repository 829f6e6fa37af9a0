import type { Range } from '../engine/types';
import type { SourceText } from '../model/positions';
import type { ShellSnippet } from './snippet';
import { docSpan } from './snippet';
import type { SyntaxNode } from './parser';
import { children } from './parser';
import type { ShellCommand } from './types';

/**
 * One shell word after quote removal. `value` is what the program receives when `literal` is true;
 * otherwise expansions stay as written (`$VER`, `$(…)`), which is enough to tell "some version was
 * given" from "none was". `offsets` maps every character of `value` to its document offset.
 */
export interface ShellWord {
  value: string;
  /** Document offset of each character of `value`, plus one entry for the end. */
  offsets: number[];
  /** Document offsets [start, end) of the word as written (quotes included). */
  readonly start: number;
  readonly end: number;
  /** Document range of `start`–`end`. */
  readonly range: Range;
  /** False when the word contains an expansion or substitution. */
  literal: boolean;
  /**
   * tree-sitter node type: `word`, `string`, `raw_string`, `concatenation`, … (`heredoc_body`, `joined` for synthetic
   * words).
   */
  type: string;
  /** Commands run inside `$(…)`, backticks or `<(…)` of this word, outermost first. */
  substitutions: ShellCommand[];
}

/** A word's own fields: all but those worked out from them. */
export type WordFields = Omit<ShellWord, 'range'>;

/** A word whose range is worked out on first use: most words are never reported. */
export class DocumentWord implements ShellWord {
  value: string;
  offsets: number[];
  readonly start: number;
  readonly end: number;
  literal: boolean;
  type: string;
  substitutions: ShellCommand[];
  private cachedRange: Range | undefined;

  constructor(
    fields: WordFields,
    private readonly source: SourceText,
  ) {
    this.value = fields.value;
    this.offsets = fields.offsets;
    this.start = fields.start;
    this.end = fields.end;
    this.literal = fields.literal;
    this.type = fields.type;
    this.substitutions = fields.substitutions;
  }

  get range(): Range {
    return (this.cachedRange ??= this.source.rangeOf(this.start, this.end));
  }
}

const EXPANSIONS = new Set([
  'simple_expansion',
  'expansion',
  'command_substitution',
  'process_substitution',
  'arithmetic_expansion',
  'brace_expression',
]);

interface Decoded {
  value: string;
  /** Document offset of each value character. */
  offsets: number[];
  literal: boolean;
}

/** Decodes a word-like node of `snippet` into a ShellWord. */
export function decodeWord(node: SyntaxNode, snippet: ShellSnippet, source: SourceText): ShellWord {
  // Each property of a node is a call into the parser's wasm: read them once.
  const type = node.type;
  const end = node.endIndex;
  const decoded: Decoded = { value: '', offsets: [], literal: true };
  decodeInto(node, type, end, snippet.text, snippet.offsets, decoded);
  return wordFrom(decoded, node.startIndex, end, type, snippet, source);
}

/** A word for a raw span of the snippet (heredoc bodies): no quote removal. */
export function rawWord(
  start: number,
  end: number,
  type: string,
  snippet: ShellSnippet,
  source: SourceText,
): ShellWord {
  const decoded: Decoded = { value: '', offsets: [], literal: true };
  raw(decoded, snippet.text, snippet.offsets, start, end);
  return wordFrom(decoded, start, end, type, snippet, source);
}

function wordFrom(
  decoded: Decoded,
  start: number,
  end: number,
  type: string,
  snippet: ShellSnippet,
  source: SourceText,
): ShellWord {
  const span = docSpan(snippet, start, end);
  const offsets = decoded.offsets;
  offsets.push(offsets.length > 0 ? offsets[offsets.length - 1]! + 1 : span.start);
  const { value, literal } = decoded;
  return new DocumentWord(
    { value, offsets, start: span.start, end: span.end, literal, type, substitutions: [] },
    source,
  );
}

function push(out: Decoded, ch: string, offset: number): void {
  out.value += ch;
  out.offsets.push(offset);
}

/** Snippet text [start, end) as it is. */
function raw(out: Decoded, text: string, map: readonly number[], start: number, end: number): void {
  if (end <= start) return;
  out.value += text.slice(start, end);
  for (let i = start; i < end; i++) out.offsets.push(map[i]!);
}

/** Text that no quote, escape, expansion or substitution can touch: a word as written. */
const PLAIN = /^[^'"\\$`{}()<>]*$/;

function decodeInto(
  node: SyntaxNode,
  type: string,
  end: number,
  text: string,
  map: readonly number[],
  out: Decoded,
): void {
  const start = node.startIndex;
  switch (type) {
    case 'command_name': {
      if (PLAIN.test(text.slice(start, end))) raw(out, text, map, start, end);
      else for (const child of children(node)) decodeInto(child, child.type, child.endIndex, text, map, out);
      return;
    }
    case 'word':
    case 'number':
    case 'variable_name':
      unquoted(text, map, start, end, out);
      return;
    case 'raw_string':
      raw(out, text, map, start + 1, text[end - 1] === "'" && end - 1 > start ? end - 1 : end);
      return;
    case 'string':
    case 'translated_string':
      doubleQuoted(node, end, text, map, out);
      return;
    case 'ansi_c_string':
      ansiC(text, map, start + 2, text[end - 1] === "'" ? end - 1 : end, out);
      return;
    case 'concatenation': {
      let cursor = start;
      for (const child of children(node)) {
        const childEnd = child.endIndex;
        if (child.startIndex > cursor) unquoted(text, map, cursor, child.startIndex, out);
        decodeInto(child, child.type, childEnd, text, map, out);
        cursor = childEnd;
      }
      if (cursor < end) unquoted(text, map, cursor, end, out);
      return;
    }
    default:
      if (EXPANSIONS.has(type) || node.namedChildCount > 0) out.literal = false;
      raw(out, text, map, start, end);
  }
}

/** Unquoted text: `\x` is `x`, backslash-newline disappears. */
function unquoted(text: string, map: readonly number[], start: number, end: number, out: Decoded): void {
  let from = start;
  for (let i = text.indexOf('\\', start); i >= 0 && i < end; i = text.indexOf('\\', i + 2)) {
    if (i + 1 >= end) break;
    raw(out, text, map, from, i);
    if (text[i + 1] !== '\n') push(out, text[i + 1]!, map[i + 1]!);
    from = i + 2;
  }
  raw(out, text, map, from, end);
}

function doubleQuoted(node: SyntaxNode, nodeEnd: number, text: string, map: readonly number[], out: Decoded): void {
  const open = text.indexOf('"', node.startIndex);
  let i = open < 0 || open >= nodeEnd ? node.startIndex : open + 1;
  const end = text[nodeEnd - 1] === '"' && nodeEnd - 1 >= i ? nodeEnd - 1 : nodeEnd;
  // Expansions start with `$` or a backquote: a string without either has none to look up.
  const inside = text.slice(i, end);
  const expansions = inside.includes('$') || inside.includes('`') ? node.namedChildren : [];
  for (const expansion of expansions) {
    if (!expansion || expansion.type === 'string_content' || expansion.startIndex < i) continue;
    escapedDouble(text, map, i, expansion.startIndex, out);
    out.literal = false;
    raw(out, text, map, expansion.startIndex, expansion.endIndex);
    i = expansion.endIndex;
  }
  escapedDouble(text, map, i, end, out);
}

/** Double-quoted text: a backslash escapes only `"`, `$`, a backquote, a backslash and a newline. */
function escapedDouble(text: string, map: readonly number[], start: number, end: number, out: Decoded): void {
  let from = start;
  for (let i = text.indexOf('\\', start); i >= 0 && i < end; i = text.indexOf('\\', i + 1)) {
    if (i + 1 >= end || !'"$`\\\n'.includes(text[i + 1]!)) continue;
    raw(out, text, map, from, i);
    if (text[i + 1] !== '\n') push(out, text[i + 1]!, map[i + 1]!);
    from = i + 2;
    i++;
  }
  raw(out, text, map, from, end);
}

const ANSI: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

function ansiC(text: string, map: readonly number[], start: number, end: number, out: Decoded): void {
  for (let i = start; i < end; i++) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < end) {
      const mapped = ANSI[text[i + 1]!];
      if (mapped !== undefined) {
        push(out, mapped, map[i]!);
        i++;
        continue;
      }
    }
    push(out, ch, map[i]!);
  }
}

/** Base name of a literal command word (`/usr/bin/sudo` → `sudo`), or undefined for expansions. */
export function commandName(word: ShellWord | undefined): string | undefined {
  if (!word || !word.literal) return undefined;
  const slash = word.value.lastIndexOf('/');
  return slash >= 0 ? word.value.slice(slash + 1) : word.value;
}

/** Document range of `value[start, end)` of a word. */
export function rangeInWord(word: ShellWord, start: number, end: number, source: SourceText): Range {
  const s = word.offsets[start]!;
  const e = end > start ? word.offsets[end - 1]! + 1 : s;
  return source.rangeOf(s, Math.max(s, e));
}
