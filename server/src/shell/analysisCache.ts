import type { ExecutionContext } from '../engine/types';
import type { SourceText } from '../model/positions';
import type { ShellPlace, ShellSnippet } from './snippet';
import type { ShellCommand, ShellRedirect } from './types';
import type { ShellWord } from './words';
import { DocumentWord } from './words';

/**
 * Recent snippet analyses, by snippet text. Projects repeat the same RUN lines across many
 * Dockerfiles (image variants, per-service copies): a snippet seen before is rebuilt from its
 * recorded analysis instead of being parsed again. The result is the same as a fresh analysis:
 * an entry is used only when the new snippet's characters map to the document by the same offsets
 * as the recorded one, shifted by one constant, so every offset shifts and every range is
 * recomputed from the new document. Entries hold offsets, never a document, and the cache is
 * bounded by entry count and by snippet text size.
 */

/** The commands and redirections one top-level snippet gave, its nested payloads' included. */
export interface SnippetAnalysis {
  commands: ShellCommand[];
  redirects: ShellRedirect[];
}

/** Where a list of document offsets sits in an entry's `numbers`. */
interface OffsetSpan {
  at: number;
  count: number;
}

interface WordRecord {
  value: string;
  offsets: OffsetSpan;
  start: number;
  end: number;
  literal: boolean;
  type: string;
  substitutions: number[];
}

interface CommandRecord {
  argv: number[];
  wrappers: string[];
  place: ShellPlace;
  context: ExecutionContext;
  start: number;
  end: number;
  pipeline?: number[];
  removal?: [number, number];
  stdin?: number;
  /** 0 is the analysed snippet; others index `nested`. */
  snippet: number;
}

interface RedirectRecord {
  operator: string;
  target: number;
  place: ShellPlace;
  context: ExecutionContext;
  start: number;
  end: number;
}

/** A payload snippet (`sh -c '…'`, `ssh host '…'`) some commands ran in. */
interface NestedRecord {
  snippet: Omit<ShellSnippet, 'offsets'>;
  offsets: OffsetSpan;
}

/**
 * Offsets live in one typed array outside the JS heap: an entry outlives many files, and plain
 * arrays of it would be copied by every young-generation collection until they are promoted.
 */
interface Entry {
  numbers: Int32Array;
  /** The recorded snippet's offsets in `numbers`. */
  offsets: OffsetSpan;
  textLength: number;
  words: WordRecord[];
  commands: CommandRecord[];
  redirects: RedirectRecord[];
  /** Index 0 stands for the analysed snippet itself. */
  nested: Array<NestedRecord | undefined>;
}

const MAX_ENTRIES = 256;
const MAX_TEXT = 64 * 1024;
/** Longer snippets are scripts of their own, rarely repeated: not worth keeping. */
const MAX_SNIPPET = 16 * 1024;

/**
 * The cache: owned by a host (one per engine, so one per thread), never shared through a module.
 * A host that wants fresh analyses only (tests comparing against the cache) builds its engine without one.
 */
export class SnippetCache {
  private readonly entries = new Map<string, Entry>();
  private cachedText = 0;
  private readonly counted = { hits: 0, misses: 0 };
  /** Where `record` gathers an entry's offsets before copying them out at their final length. */
  private scratch = new Int32Array(64 * 1024);

  /** Snippets rebuilt from the cache and snippets analysed afresh (cacheable ones) so far. */
  counts(): Readonly<{ hits: number; misses: number }> {
    return { ...this.counted };
  }

  /** The analysis of `snippet` rebuilt from an earlier identical one, or undefined. */
  recall(snippet: ShellSnippet, source: SourceText): SnippetAnalysis | undefined {
    if (!cacheable(snippet)) return undefined;
    const key = keyOf(snippet);
    const entry = this.entries.get(key);
    const delta = entry && constantShift(entry.numbers, entry.offsets, snippet.offsets);
    if (!entry || delta === undefined) {
      this.counted.misses++;
      return undefined;
    }
    this.counted.hits++;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return rebuild(entry, delta, snippet, source);
  }

  /** Records the analysis of `snippet` for later identical snippets. */
  remember(snippet: ShellSnippet, analysis: SnippetAnalysis, source: SourceText): void {
    if (!cacheable(snippet)) return;
    const key = keyOf(snippet);
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.cachedText -= previous.textLength;
    }
    this.entries.set(key, this.record(snippet, analysis, source));
    this.cachedText += snippet.text.length;
    while (this.entries.size > MAX_ENTRIES || this.cachedText > MAX_TEXT) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [string, Entry];
      this.entries.delete(oldestKey);
      this.cachedText -= oldest.textLength;
    }
  }

  private record(snippet: ShellSnippet, analysis: SnippetAnalysis, source: SourceText): Entry {
    let length = 0;
    const span = (offsets: readonly number[]): OffsetSpan => {
      const at = length;
      if (at + offsets.length > this.scratch.length) {
        const grown = new Int32Array(Math.max(this.scratch.length * 2, at + offsets.length));
        grown.set(this.scratch.subarray(0, at));
        this.scratch = grown;
      }
      for (let i = 0; i < offsets.length; i++) this.scratch[at + i] = offsets[i]!;
      length += offsets.length;
      return { at, count: offsets.length };
    };
    const wordIndex = new Map<ShellWord, number>();
    const commandIndex = new Map<ShellCommand, number>(analysis.commands.map((c, i) => [c, i]));
    const snippetIndex = new Map<ShellSnippet, number>([[snippet, 0]]);
    const words: WordRecord[] = [];
    const nested: Entry['nested'] = [undefined];
    const wordOf = (word: ShellWord): number => {
      let index = wordIndex.get(word);
      if (index === undefined) {
        index = words.length;
        wordIndex.set(word, index);
        words.push({
          value: word.value,
          offsets: span(word.offsets),
          start: word.start,
          end: word.end,
          literal: word.literal,
          type: word.type,
          substitutions: word.substitutions.map((c) => commandIndex.get(c)!),
        });
      }
      return index;
    };
    const snippetOf = (s: ShellSnippet): number => {
      let index = snippetIndex.get(s);
      if (index === undefined) {
        index = nested.length;
        snippetIndex.set(s, index);
        const { offsets, ...rest } = s;
        nested.push({ snippet: rest, offsets: span(offsets) });
      }
      return index;
    };
    const offsets = span(snippet.offsets);
    const commands: CommandRecord[] = analysis.commands.map((command) => ({
      argv: command.argv.map(wordOf),
      wrappers: command.wrappers,
      place: command.place,
      context: command.context,
      start: source.offsetAt(command.range.start),
      end: source.offsetAt(command.range.end),
      ...(command.pipeline ? { pipeline: command.pipeline.map((c) => commandIndex.get(c)!) } : {}),
      ...(command.removal
        ? {
            removal: [source.offsetAt(command.removal.start), source.offsetAt(command.removal.end)] as [number, number],
          }
        : {}),
      ...(command.stdin ? { stdin: wordOf(command.stdin) } : {}),
      snippet: snippetOf(command.snippet),
    }));
    const redirects: RedirectRecord[] = analysis.redirects.map((redirect) => ({
      operator: redirect.operator,
      target: wordOf(redirect.target),
      place: redirect.place,
      context: redirect.context,
      start: source.offsetAt(redirect.range.start),
      end: source.offsetAt(redirect.range.end),
    }));
    return {
      numbers: this.scratch.slice(0, length),
      offsets,
      textLength: snippet.text.length,
      words,
      commands,
      redirects,
      nested,
    };
  }
}

/** Whether `snippet` may be cached: code written in the document, other than a whole script. */
function cacheable(snippet: ShellSnippet): boolean {
  return snippet.depth === 0 && snippet.origin !== 'script' && snippet.text.length <= MAX_SNIPPET;
}

function keyOf(snippet: ShellSnippet): string {
  return `${snippet.place}\0${snippet.origin}\0${snippet.editable ? 1 : 0}\0${snippet.text}`;
}

function constantShift(numbers: Int32Array, recorded: OffsetSpan, current: readonly number[]): number | undefined {
  if (recorded.count !== current.length || recorded.count === 0) return undefined;
  const delta = current[0]! - numbers[recorded.at]!;
  for (let i = 1; i < current.length; i++) if (current[i]! - numbers[recorded.at + i]! !== delta) return undefined;
  return delta;
}

function rebuild(entry: Entry, delta: number, snippet: ShellSnippet, source: SourceText): SnippetAnalysis {
  const shift = ({ at, count }: OffsetSpan): number[] => {
    const offsets = new Array<number>(count);
    for (let i = 0; i < count; i++) offsets[i] = entry.numbers[at + i]! + delta;
    return offsets;
  };
  const snippets = entry.nested.map((s) => (s ? { ...s.snippet, offsets: shift(s.offsets) } : snippet));
  const commands: ShellCommand[] = entry.commands.map((c) => ({
    argv: [],
    wrappers: c.wrappers,
    place: c.place,
    context: c.context,
    range: source.rangeOf(c.start + delta, c.end + delta),
    snippet: snippets[c.snippet]!,
  }));
  const words: ShellWord[] = entry.words.map((w) => {
    const word = new DocumentWord(w.value, shift(w.offsets), w.start + delta, w.end + delta, w.literal, w.type, source);
    word.substitutions = w.substitutions.map((i) => commands[i]!);
    return word;
  });
  entry.commands.forEach((c, i) => {
    const command = commands[i]!;
    command.argv = c.argv.map((w) => words[w]!);
    if (c.pipeline) command.pipeline = c.pipeline.map((p) => commands[p]!);
    if (c.removal) command.removal = source.rangeOf(c.removal[0] + delta, c.removal[1] + delta);
    if (c.stdin !== undefined) command.stdin = words[c.stdin]!;
  });
  const redirects: ShellRedirect[] = entry.redirects.map((r) => ({
    operator: r.operator,
    target: words[r.target]!,
    place: r.place,
    context: r.context,
    range: source.rangeOf(r.start + delta, r.end + delta),
  }));
  return { commands, redirects };
}
