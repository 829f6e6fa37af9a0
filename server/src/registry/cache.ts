import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Cache settings. Without `dir` the cache lives in memory only. */
export interface RegistryCacheOptions {
  /** Directory for `registry-cache.json`. */
  dir?: string;
  /** How long tag → digest (and tag lists) stay fresh. Default 5 minutes. */
  tagTtlMs?: number;
  now?: () => number;
}

interface TagEntry {
  digest: string;
  at: number;
}

interface DiskFormat {
  version: 1;
  tags: Record<string, TagEntry>;
  digests: Record<string, unknown>;
}

const FILE = 'registry-cache.json';
const MAX_TAGS = 2000;
const MAX_DIGESTS = 4000;
const WRITE_DELAY_MS = 250;

/**
 * Two-level cache keyed by reference text: content addressed by digest never changes, so
 * `name@digest` entries live forever; `name:tag` → digest expires after the TTL.
 * Persisted as one small JSON file (atomic rename), written shortly after changes.
 */
export class RegistryCache {
  private readonly tagTtlMs: number;
  private readonly now: () => number;
  private tags = new Map<string, TagEntry>();
  private digests = new Map<string, unknown>();
  private readonly lists = new Map<string, { tags: string[]; at: number }>();
  private loaded = false;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly options: RegistryCacheOptions = {}) {
    this.tagTtlMs = options.tagTtlMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Digest a tag pointed to, when looked up less than the TTL ago. */
  getTag(key: string): string | undefined {
    this.load();
    const entry = this.tags.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.at > this.tagTtlMs) return undefined;
    return entry.digest;
  }

  setTag(key: string, digest: string): void {
    this.load();
    this.tags.delete(key);
    this.tags.set(key, { digest, at: this.now() });
    this.changed();
  }

  /** Immutable facts about content `name@digest` (a JSON value). */
  getDigest<T>(key: string): T | undefined {
    this.load();
    return this.digests.get(key) as T | undefined;
  }

  setDigest(key: string, value: unknown): void {
    this.load();
    this.digests.set(key, value);
    this.changed();
  }

  /** Tag list of a repository (memory only, same TTL as tags). */
  getList(key: string): string[] | undefined {
    const entry = this.lists.get(key);
    return entry && this.now() - entry.at <= this.tagTtlMs ? entry.tags : undefined;
  }

  setList(key: string, tags: string[]): void {
    this.lists.set(key, { tags, at: this.now() });
  }

  /** Writes pending changes to disk now. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.writing = this.writing.then(() => this.write());
    }
    await this.writing;
  }

  private changed(): void {
    if (!this.options.dir || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.writing = this.writing.then(() => this.write());
    }, WRITE_DELAY_MS);
    this.timer.unref();
  }

  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    if (!this.options.dir) return;
    try {
      const data = JSON.parse(readFileSync(join(this.options.dir, FILE), 'utf8')) as Partial<DiskFormat>;
      if (data.version !== 1) return;
      for (const [k, v] of Object.entries(data.tags ?? {})) {
        if (v && typeof v.digest === 'string' && typeof v.at === 'number') this.tags.set(k, v);
      }
      for (const [k, v] of Object.entries(data.digests ?? {})) this.digests.set(k, v);
    } catch {
      /* no cache yet, or unreadable: start empty */
    }
  }

  private async write(): Promise<void> {
    const dir = this.options.dir;
    if (!dir) return;
    const now = this.now();
    const tags = [...this.tags].filter(([, v]) => now - v.at <= this.tagTtlMs).slice(-MAX_TAGS);
    const digests = [...this.digests].slice(-MAX_DIGESTS);
    const data: DiskFormat = { version: 1, tags: Object.fromEntries(tags), digests: Object.fromEntries(digests) };
    try {
      await mkdir(dir, { recursive: true });
      const tmp = join(dir, `${FILE}.${process.pid}.tmp`);
      await writeFile(tmp, JSON.stringify(data));
      await rename(tmp, join(dir, FILE));
    } catch {
      /* the disk cache is an optimisation: ignore write failures */
    }
  }
}
