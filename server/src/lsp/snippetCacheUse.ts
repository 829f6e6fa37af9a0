import { DEFAULT_SNIPPET_LIMITS, SnippetCache, type SnippetCacheLimits } from '../shell/analysisCache';

/**
 * The server's snippet cache limits while it lints edits: a keystroke's lint analyses the shell of the
 * edited part and of the parts around it again, the same snippets at every key (three Compose
 * `command:`s at each key of the bench's 3,000-line file). The CLI's full cache is not kept between
 * scans: its records (about 2 MB of the heap) were marked by every full collection, at every keystroke
 * (Scan Workspace CPU 13.5 s with it kept, 12.5 s without; 6 A/B/B/A pairs).
 */
export const KEYSTROKE_SNIPPET_LIMITS: Readonly<SnippetCacheLimits> = { entries: 64, text: 16 * 1024 };

/**
 * When the server's engine uses its snippet cache (see SnippetCache): while an edit of an open
 * document is linted, at the keystroke size; and through a Scan Workspace at the CLI's size, as the
 * CLI scans, emptied back to the keystroke size when the last scan ends. First lints, indexing and
 * re-reads outside a scan leave it alone. Whatever is cached, every lint's result is the same.
 *
 * Measured, Scan Workspace of the corpus after the bench's editor session (4 A/B/B/A pairs): 8,964 →
 * 5,559 shell parses (7.72 → 6.83 MB of text; the CLI's scan: 5,191, 5.22 MB), wall 7.12 → 6.72 s.
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
      cache.widen(DEFAULT_SNIPPET_LIMITS);
      cache.active = true;
    }
    try {
      return await run();
    } finally {
      if (--this.scans === 0) {
        cache.active = false;
        cache.widen();
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
