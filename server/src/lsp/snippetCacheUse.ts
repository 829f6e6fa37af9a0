import { DEFAULT_SNIPPET_LIMITS, SnippetCache, type SnippetCacheLimits } from '../shell/analysisCache';

/**
 * The server's snippet cache limits while it lints edits: a keystroke's lint analyses the shell of the
 * edited part and of the parts around it again, the same snippets at every key (three Compose
 * `command:`s at each key of the bench's 3,000-line file). The CLI's full-size cache is not kept
 * between scans: its records (about 2 MB of the heap) are marked by every full collection, at every
 * keystroke. (Kept at full size and on for everything, Scan Workspace CPU was 13.5 s against 12.5 s
 * with a small keystroke-only cache; 6 A/B/B/A pairs, before scans used it as below.)
 */
export const KEYSTROKE_SNIPPET_LIMITS: Readonly<SnippetCacheLimits> = { entries: 64, text: 16 * 1024 };

/**
 * When the server's engine uses its snippet cache (see SnippetCache): at the keystroke size while a
 * document linted before is linted again in one go (an edit, or a re-lint after a settings change;
 * large documents, linted in steps, do not use it); and through a Scan Workspace at the CLI's size, as
 * the CLI scans, shrunk back to the keystroke size (oldest entries dropped) when the last scan ends.
 * Other lints outside a scan (first lints, indexing, re-reads) leave it alone. Whatever is cached,
 * every lint's result is the same.
 *
 * The widening serves scans linted on the server's own thread: under 500 files, or with a forced thread
 * count (see `editorScanWorkers`); larger scans lint on workers, whose engines have the CLI's cache.
 * Measured when the corpus was still scanned on this thread, after 100 keystrokes in each of the
 * bench's documents: 8,964 → 5,559 shell parses (7.72 → 6.83 MB of text; the CLI's scan: 5,191,
 * 5.22 MB), wall 6.95 → 6.76 s (medians, 6 A/B/B/A groups).
 */
export class SnippetCacheUse {
  private scans = 0;

  /** `cache`: the engine's, at its own (keystroke) limits and off; none: nothing to switch. */
  constructor(private readonly cache?: SnippetCache) {}

  /** Runs `lint`, with the cache on when it lints an edit (`edit`). */
  lintEdit<T>(edit: boolean, lint: () => T): T {
    const cache = this.cache;
    if (!edit || !cache) return lint();
    const was = cache.active;
    cache.active = true;
    try {
      return lint();
    } finally {
      cache.active = was;
    }
  }

  /** Runs a Scan Workspace with the cache on at the CLI's size (scans may overlap). */
  async scan<T>(run: () => Promise<T>): Promise<T> {
    const cache = this.cache;
    if (!cache) return run();
    if (this.scans++ === 0) {
      cache.useLimits(DEFAULT_SNIPPET_LIMITS);
      cache.active = true;
    }
    try {
      return await run();
    } finally {
      if (--this.scans === 0) {
        cache.active = false;
        cache.useOwnLimits();
      }
    }
  }
}

/** A cache for `SnippetCacheUse`: at the keystroke size, off until an edit or a scan turns it on. */
export function keystrokeSnippetCache(): SnippetCache {
  const cache = new SnippetCache(KEYSTROKE_SNIPPET_LIMITS);
  cache.active = false;
  return cache;
}
