import type { Range } from '../engine/types';
import type { SourceText } from '../model/positions';
import type { ShellSnippet } from './snippet';
import type { Complete, ShellCommand, ShellRedirect, StatementSiblings } from './types';
import type { ShellWord, WordFields } from './words';
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

/** A document range as its two offsets, recomputed in the new document on a cache hit. */
type OffsetPair = readonly [start: number, end: number];

/**
 * How an entry keeps a value of each type the shell objects hold: document offsets and ranges as
 * numbers to shift, links to other objects of the same analysis as indexes, plain data as it is
 * (snippet offsets included: the same snippet text gives the same ones). A type not listed here is
 * `never`, so a record cannot be written for a field of a new type.
 */
type Recorded<V> = [V] extends [StatementSiblings]
  ? V
  : [V] extends [Range]
    ? OffsetPair
    : [V] extends [ShellWord | ShellSnippet]
      ? number
      : [V] extends [ShellWord[] | ShellCommand[]]
        ? readonly number[]
        : [V] extends [number[]]
          ? OffsetSpan
          : [V] extends [number | string | boolean | readonly string[]]
            ? V
            : never;

/**
 * An entry's record of one object: EVERY field of its type (optional ones too, as undefined when
 * absent), each kept as `Recorded` says, but those the object works out from its other fields. A
 * field added to a shell type does not compile until `record` keeps it, and a cache hit can only
 * drop it if `rebuild` does — which its `Complete` literals do not compile either.
 */
type RecordOf<T, Derived extends keyof T = never> = {
  readonly [K in Exclude<keyof T, Derived>]-?: Recorded<NonNullable<T[K]>> | Extract<T[K], undefined>;
};

type WordRecord = RecordOf<WordFields>;
type CommandRecord = RecordOf<ShellCommand>;
type RedirectRecord = RecordOf<ShellRedirect>;
type SnippetRecord = RecordOf<ShellSnippet>;

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
  /** Payload snippets; index 0 stands for the analysed snippet itself. */
  snippets: Array<SnippetRecord | undefined>;
}

/** Most entries and most snippet text (characters) a cache keeps. */
export interface SnippetCacheLimits {
  entries: number;
  text: number;
}

/** The CLI's cache: 256 entries, 64 K of snippet text. */
export const DEFAULT_SNIPPET_LIMITS: Readonly<SnippetCacheLimits> = { entries: 256, text: 64 * 1024 };
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
  /** While false, nothing is recalled or remembered (every snippet is analysed afresh). */
  active = true;

  /** What it keeps now: its own limits, or others set by `useLimits`. */
  private limits: Readonly<SnippetCacheLimits>;

  constructor(private readonly ownLimits: Readonly<SnippetCacheLimits> = DEFAULT_SNIPPET_LIMITS) {
    this.limits = ownLimits;
  }

  /**
   * Keeps up to `limits` from now on (a host widens a small cache for a while, as the language server
   * does for a Scan Workspace), the oldest entries beyond them dropped.
   */
  useLimits(limits: Readonly<SnippetCacheLimits>): void {
    this.limits = limits;
    this.evict();
  }

  /** Back to the limits the cache was made with, the oldest entries beyond them dropped. */
  useOwnLimits(): void {
    this.useLimits(this.ownLimits);
  }

  /** The entries it holds now and their snippet text (characters). */
  size(): Readonly<SnippetCacheLimits> {
    return { entries: this.entries.size, text: this.cachedText };
  }

  /** Snippets rebuilt from the cache and snippets analysed afresh (cacheable ones) so far. */
  counts(): Readonly<{ hits: number; misses: number }> {
    return { ...this.counted };
  }

  /** The analysis of `snippet` rebuilt from an earlier identical one, or undefined. */
  recall(snippet: ShellSnippet, source: SourceText): SnippetAnalysis | undefined {
    if (!this.active || !cacheable(snippet)) return undefined;
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
    if (!this.active || !cacheable(snippet)) return;
    const key = keyOf(snippet);
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.cachedText -= previous.textLength;
    }
    this.entries.set(key, this.record(snippet, analysis, source));
    this.cachedText += snippet.text.length;
    this.evict();
  }

  /** Drops the oldest entries until the cache is within its limits. */
  private evict(): void {
    while (this.entries.size > this.limits.entries || this.cachedText > this.limits.text) {
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
    const pair = (range: Range): OffsetPair => [source.offsetAt(range.start), source.offsetAt(range.end)];
    const wordIndex = new Map<ShellWord, number>();
    const commandIndex = new Map<ShellCommand, number>(analysis.commands.map((c, i) => [c, i]));
    const commandOf = (command: ShellCommand): number => commandIndex.get(command)!;
    const snippetIndex = new Map<ShellSnippet, number>([[snippet, 0]]);
    const words: WordRecord[] = [];
    const snippets: Entry['snippets'] = [undefined];
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
          substitutions: word.substitutions.map(commandOf),
        });
      }
      return index;
    };
    const snippetOf = (s: ShellSnippet): number => {
      let index = snippetIndex.get(s);
      if (index === undefined) {
        index = snippets.length;
        snippetIndex.set(s, index);
        snippets.push({
          text: s.text,
          offsets: span(s.offsets),
          place: s.place,
          origin: s.origin,
          editable: s.editable,
          depth: s.depth,
        });
      }
      return index;
    };
    // The members of one pipeline share one list: it is recorded once, so a hit rebuilds it once.
    const pipelines = new Map<readonly ShellCommand[], readonly number[]>();
    const pipelineOf = (pipeline: readonly ShellCommand[]): readonly number[] => {
      let indexes = pipelines.get(pipeline);
      if (!indexes) pipelines.set(pipeline, (indexes = pipeline.map(commandOf)));
      return indexes;
    };
    const offsets = span(snippet.offsets);
    const commands = analysis.commands.map((command): CommandRecord => ({
      argv: command.argv.map(wordOf),
      wrappers: command.wrappers,
      place: command.place,
      context: command.context,
      range: pair(command.range),
      pipeline: command.pipeline && pipelineOf(command.pipeline),
      siblings: command.siblings,
      scope: command.scope,
      scopeRange: command.scopeRange && pair(command.scopeRange),
      stdin: command.stdin && wordOf(command.stdin),
      snippet: snippetOf(command.snippet),
    }));
    const redirects = analysis.redirects.map((redirect): RedirectRecord => ({
      operator: redirect.operator,
      target: wordOf(redirect.target),
      place: redirect.place,
      context: redirect.context,
      range: pair(redirect.range),
    }));
    return {
      numbers: this.scratch.slice(0, length),
      offsets,
      textLength: snippet.text.length,
      words,
      commands,
      redirects,
      snippets,
    };
  }
}

/** Whether `snippet` may be cached: code written in the document, other than a whole script. */
function cacheable(snippet: ShellSnippet): boolean {
  return snippet.depth === 0 && snippet.origin !== 'script' && snippet.text.length <= MAX_SNIPPET;
}

/**
 * Which snippet fields two snippets with interchangeable analyses have in common: all but `offsets`,
 * which `constantShift` compares. A field added to ShellSnippet does not compile until it is here.
 */
const KEYED = {
  text: true,
  offsets: false,
  place: true,
  origin: true,
  editable: true,
  depth: true,
} as const satisfies Record<keyof ShellSnippet, boolean>;
const KEY_FIELDS = (Object.keys(KEYED) as Array<keyof typeof KEYED>).filter((field) => KEYED[field]);

function keyOf(snippet: ShellSnippet): string {
  let key = '';
  for (const field of KEY_FIELDS) key += `${String(snippet[field])}\0`;
  return key;
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
  const rangeOf = ([start, end]: OffsetPair): Range => source.rangeOf(start + delta, end + delta);
  const snippets = entry.snippets.map((s): ShellSnippet => {
    if (!s) return snippet;
    const nested = {
      text: s.text,
      offsets: shift(s.offsets),
      place: s.place,
      origin: s.origin,
      editable: s.editable,
      depth: s.depth,
    } satisfies Complete<ShellSnippet>;
    return nested;
  });
  // Words and commands link to each other: commands are made first with their links empty, linked
  // once every word exists.
  const commands = entry.commands.map((c): ShellCommand => {
    const command = {
      argv: [],
      wrappers: c.wrappers,
      place: c.place,
      context: c.context,
      range: rangeOf(c.range),
      snippet: snippets[c.snippet]!,
      stdin: undefined,
      siblings: c.siblings,
      pipeline: undefined,
      scope: c.scope,
      scopeRange: c.scopeRange && rangeOf(c.scopeRange),
    } satisfies Complete<ShellCommand>;
    return command;
  });
  const words = entry.words.map((w): ShellWord => {
    const fields = {
      value: w.value,
      offsets: shift(w.offsets),
      start: w.start + delta,
      end: w.end + delta,
      literal: w.literal,
      type: w.type,
      substitutions: w.substitutions.map((i) => commands[i]!),
    } satisfies Complete<WordFields>;
    return new DocumentWord(fields, source);
  });
  const pipelines = new Map<readonly number[], ShellCommand[]>();
  entry.commands.forEach((c, i) => {
    const command = commands[i]!;
    command.argv = c.argv.map((w) => words[w]!);
    if (c.stdin !== undefined) command.stdin = words[c.stdin]!;
    if (c.pipeline) {
      let pipeline = pipelines.get(c.pipeline);
      if (!pipeline) pipelines.set(c.pipeline, (pipeline = c.pipeline.map((p) => commands[p]!)));
      command.pipeline = pipeline;
    }
  });
  const redirects = entry.redirects.map((r) => {
    const redirect = {
      operator: r.operator,
      target: words[r.target]!,
      place: r.place,
      context: r.context,
      range: rangeOf(r.range),
    } satisfies Complete<ShellRedirect>;
    return redirect;
  });
  return { commands, redirects };
}
