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

/** Builds snippet text piece by piece, remembering where each character came from. */
export class SnippetBuilder {
  private text = '';
  private readonly offsets: number[] = [];

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
    for (let i = start; i < end; i++) this.offsets.push(i);
  }

  /** Appends characters that are not in the document, attributed to `docOffset`. */
  synthetic(text: string, docOffset: number): this {
    this.text += text;
    for (let i = 0; i < text.length; i++) this.offsets.push(docOffset);
    return this;
  }

  /** Appends characters with their own offsets (from a decoded word). */
  mapped(text: string, offsets: readonly number[]): this {
    this.text += text;
    for (let i = 0; i < text.length; i++) this.offsets.push(offsets[i]!);
    return this;
  }

  get length(): number {
    return this.text.length;
  }

  build(endOffset: number, meta: Omit<ShellSnippet, 'text' | 'offsets'>): ShellSnippet {
    return { text: this.text, offsets: [...this.offsets, endOffset], ...meta };
  }
}

/** Document offsets [start, end) of a snippet span; an end right after a character maps just after it. */
export function docSpan(snippet: ShellSnippet, start: number, end: number): { start: number; end: number } {
  const docStart = snippet.offsets[start]!;
  const docEnd = end > start ? snippet.offsets[end - 1]! + 1 : docStart;
  return { start: docStart, end: Math.max(docStart, docEnd) };
}
