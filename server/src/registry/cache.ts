import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { CREATE_EXCLUSIVE, preparePrivateDir, READ_NO_FOLLOW } from '../net/privateDir';
import { isDigest } from './manifest';

/** Cache settings. Without `dir` the cache lives in memory only. */
export interface RegistryCacheOptions {
  /** Private per-user directory for `registry-cache.json` (see net/privateDir.ts). */
  dir?: string;
  /** How long tag → digest (and tag lists) stay fresh. Default 5 minutes. */
  tagTtlMs?: number;
  now?: () => number;
  /** Told once when the directory or its file exists but is not used, and why. */
  onProblem?: (reason: string) => void;
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
/** A cache file larger than this is not read. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;
/** Clocks of one machine agree; a little slack for a file written just now. */
const CLOCK_SLACK_MS = 60_000;
const WRITE_DELAY_MS = 250;

/**
 * Two-level cache keyed by reference text: content addressed by digest never changes, so
 * `name@digest` entries live forever; `name:tag` → digest expires after the TTL.
 * Persisted as one small JSON file in a private directory (owner and mode checked before use),
 * written to an exclusively created temporary file and renamed, never through a link. A file
 * that fails validation (a malformed digest or entry, a time in the future) is discarded whole:
 * one poisoned entry would otherwise make *Pin* write a digest the registry never gave.
 */
export class RegistryCache {
  private readonly tagTtlMs: number;
  private readonly now: () => number;
  private tags = new Map<string, TagEntry>();
  private digests = new Map<string, unknown>();
  private readonly lists = new Map<string, { tags: string[]; at: number }>();
  private loaded = false;
  /** The directory, once checked to be private; undefined when memory only. */
  private dir: string | undefined;
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
    if (!this.dir || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.writing = this.writing.then(() => this.write());
    }, WRITE_DELAY_MS);
    this.timer.unref();
  }

  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    const dir = this.options.dir;
    if (!dir) return;
    const prepared = preparePrivateDir(dir);
    if (!prepared.ok) {
      if (prepared.unsafe) this.options.onProblem?.(`registry cache kept in memory only: ${prepared.reason}`);
      return;
    }
    this.dir = dir;
    const text = readPrivateFile(join(dir, FILE));
    if (text === undefined) return;
    const data = validDiskFormat(text, this.now() + CLOCK_SLACK_MS);
    if (!data) {
      this.options.onProblem?.(`registry cache ${join(dir, FILE)} failed validation and was discarded`);
      return;
    }
    for (const [k, v] of Object.entries(data.tags)) this.tags.set(k, v);
    for (const [k, v] of Object.entries(data.digests)) this.digests.set(k, v);
  }

  private async write(): Promise<void> {
    const dir = this.dir;
    if (!dir) return;
    const now = this.now();
    const tags = [...this.tags].filter(([, v]) => now - v.at <= this.tagTtlMs).slice(-MAX_TAGS);
    const digests = [...this.digests].slice(-MAX_DIGESTS);
    const data: DiskFormat = { version: 1, tags: Object.fromEntries(tags), digests: Object.fromEntries(digests) };
    const tmp = join(dir, `.${FILE}.${randomBytes(8).toString('hex')}.tmp`);
    try {
      const handle = await fs.promises.open(tmp, CREATE_EXCLUSIVE, 0o600);
      try {
        await handle.writeFile(JSON.stringify(data));
      } finally {
        await handle.close();
      }
      await fs.promises.rename(tmp, join(dir, FILE));
    } catch {
      /* the disk cache is an optimisation: a failed write leaves the previous file */
      await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    }
  }
}

/** The file's text when it is a regular file of this user, not a link, and not too large. */
function readPrivateFile(file: string): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, READ_NO_FOLLOW);
  } catch {
    return undefined;
  }
  try {
    const stat = fs.fstatSync(fd);
    const uid = process.getuid?.();
    if (!stat.isFile() || stat.size > MAX_FILE_BYTES || (uid !== undefined && stat.uid !== uid)) return undefined;
    return fs.readFileSync(fd, 'utf8');
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** The parsed file when every entry is well-formed and no time is later than `latest`. */
function validDiskFormat(text: string, latest: number): DiskFormat | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(data) || data.version !== 1 || !isRecord(data.tags) || !isRecord(data.digests)) return undefined;
  for (const entry of Object.values(data.tags)) {
    if (!isRecord(entry) || !isDigest(entry.digest)) return undefined;
    if (typeof entry.at !== 'number' || !Number.isFinite(entry.at) || entry.at > latest) return undefined;
  }
  for (const [key, value] of Object.entries(data.digests)) {
    if (!isDigest(key.slice(key.lastIndexOf('@') + 1)) || !validDigestFacts(value)) return undefined;
  }
  return data as unknown as DiskFormat;
}

/** What the client stores under `name@digest`: a manifest summary, or a config's `created`. */
function validDigestFacts(value: unknown): boolean {
  if (!isRecord(value)) return false;
  if ('created' in value || Object.keys(value).length === 0)
    return Object.keys(value).length <= 1 && (value.created === undefined || typeof value.created === 'string');
  if (typeof value.mediaType !== 'string' || typeof value.index !== 'boolean' || !Array.isArray(value.children))
    return false;
  if (value.configDigest !== undefined && !isDigest(value.configDigest)) return false;
  return value.children.every(
    (c: unknown) =>
      isRecord(c) && isDigest(c.digest) && typeof c.mediaType === 'string' && typeof c.platform === 'string',
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
