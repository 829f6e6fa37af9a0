import type { ExecutionContext } from '../engine/types';

/**
 * Where a piece of shell runs, finer than the execution context so messages can say it:
 * `image` (while an image is built), `host` (the machine a script runs on), `remote-host` (over
 * ssh/scp), `container` (an already running container: docker exec, kubectl exec),
 * `container-start` (every start of a container: CMD, ENTRYPOINT, Compose command), `ephemeral` (a
 * CI runner or a throwaway container, when nothing finer is known), `ci-runner` (a CI job's machine,
 * discarded after the job) and `dev-container` (a development container, rebuilt from its definition).
 */
export type ShellPlace =
  'image' | 'host' | 'remote-host' | 'container' | 'container-start' | 'ephemeral' | 'ci-runner' | 'dev-container';

export function contextOf(place: ShellPlace): ExecutionContext {
  if (place === 'image') return 'build';
  return place === 'ephemeral' || place === 'ci-runner' || place === 'dev-container' ? 'ephemeral' : 'live';
}

/**
 * Shell code to parse, with the document offset of every character. Embedded code (Dockerfile RUN
 * with joined continuations, JSON exec form, YAML scalars, `sh -c '…'` payloads) is rebuilt as plain
 * shell text; `offsets` maps each character back, so every range reported points into the document.
 */
export interface ShellSnippet {
  text: string;
  /** Document offset of each character of `text`, plus one entry for the end. */
  offsets: number[];
  place: ShellPlace;
  /** What the code is, for messages and debugging: `script`, `RUN`, `CMD`, `ssh`, `sh -c`, … */
  origin: string;
  /**
   * True when the snippet's characters are the document's own text in order (continuations and
   * skipped comment lines aside), so a fix may replace a span of it with new shell text.
   */
  editable: boolean;
  /** Nesting depth: 0 for code written directly in the document. */
  depth: number;
}

/**
 * Where a piece of a snippet's text comes from: document text from `start` on, `count` characters
 * attributed to one offset `at`, or characters with their own `offsets`.
 */
type Piece =
  { start: number; count: number } | { at: number; count: number } | { offsets: readonly number[]; count: number };

/**
 * Builds snippet text piece by piece, remembering where each character came from. The offsets are
 * written once, into an array of their final length, when the snippet is built: a whole script's
 * are a number per character, and an array grown push by push and then copied for the snippet was
 * a fifth of a shell scan's allocation.
 */
export class SnippetBuilder {
  private text = '';
  private readonly pieces: Piece[] = [];

  /** Appends document text `docText[start, end)` (CR characters before LF are dropped). */
  copy(docText: string, start: number, end: number): this {
    let from = start;
    for (let cr = docText.indexOf('\r', start); cr >= 0 && cr < end; cr = docText.indexOf('\r', cr + 1)) {
      if (docText.charCodeAt(cr + 1) !== 10) continue;
      this.copySpan(docText, from, cr);
      from = cr + 1;
    }
    this.copySpan(docText, from, end);
    return this;
  }

  private copySpan(docText: string, start: number, end: number): void {
    if (end <= start) return;
    this.text += docText.slice(start, end);
    this.pieces.push({ start, count: end - start });
  }

  /** Appends characters that are not in the document, attributed to `docOffset`. */
  synthetic(text: string, docOffset: number): this {
    this.text += text;
    this.pieces.push({ at: docOffset, count: text.length });
    return this;
  }

  /** Appends characters with their own offsets (from a decoded word; read when the snippet is built). */
  mapped(text: string, offsets: readonly number[]): this {
    this.text += text;
    this.pieces.push({ offsets, count: text.length });
    return this;
  }

  get length(): number {
    return this.text.length;
  }

  build(endOffset: number, meta: Omit<ShellSnippet, 'text' | 'offsets'>): ShellSnippet {
    const offsets = new Array<number>(this.text.length + 1);
    let k = 0;
    for (const piece of this.pieces) {
      const count = piece.count;
      if ('start' in piece) for (let i = 0; i < count; i++) offsets[k++] = piece.start + i;
      else if ('at' in piece) for (let i = 0; i < count; i++) offsets[k++] = piece.at;
      else for (let i = 0; i < count; i++) offsets[k++] = piece.offsets[i]!;
    }
    offsets[k] = endOffset;
    return { text: this.text, offsets, ...meta };
  }
}

/**
 * The snippet of a whole document's text (a shell script), as `new SnippetBuilder().copy(text, 0,
 * text.length).build(text.length, meta)` gives it. A text with no CR before an LF maps each
 * character to itself, so its offsets depend on its length alone, and the last such array is given
 * again for a text of the same length. A script's first lint in the editor builds two models of the
 * same text, one for what it sources and one for the lint: the second array was 780 KB for the
 * bench's 3,000-line script, allocated in the server's young generation of 2 MB. One array is held
 * (8 bytes a character of the last such script), until a text of another length replaces it.
 */
export function wholeTextSnippet(text: string, meta: Omit<ShellSnippet, 'text' | 'offsets'>): ShellSnippet {
  if (text.includes('\r\n')) return new SnippetBuilder().copy(text, 0, text.length).build(text.length, meta);
  if (lastIdentity.length !== text.length + 1) {
    lastIdentity = new Array<number>(text.length + 1);
    for (let i = 0; i <= text.length; i++) lastIdentity[i] = i;
  }
  return { text, offsets: lastIdentity, ...meta };
}

/** The offsets `[0, 1, …, n]` `wholeTextSnippet` gave last (never written to: snippets only read their offsets). */
let lastIdentity: number[] = [];

/** Document offsets [start, end) of a snippet span; an end right after a character maps just after it. */
export function docSpan(snippet: ShellSnippet, start: number, end: number): { start: number; end: number } {
  const docStart = snippet.offsets[start]!;
  const docEnd = end > start ? snippet.offsets[end - 1]! + 1 : docStart;
  return { start: docStart, end: Math.max(docStart, docEnd) };
}
