import { NetworkError } from '../net/errors';
import { GitRefsClient, type GitRefsClientOptions } from '../git/smartHttp';
import type { RefListing } from '../git/refs';
import { resolveRef, type RefResolution } from './refResolution';

/** How long a repository's listing is reused (a pin run, a menu re-opened) before it is asked again. */
const LISTING_TTL_MS = 5 * 60_000;
/** How long a failed listing is remembered before it may be tried again. */
const FAILURE_TTL_MS = 30_000;

type Entry = { at: number; listing: RefListing } | { at: number; error: NetworkError };

/**
 * Resolves action refs against one git server, one listing per repository however many refs of it
 * a workflow names (`actions/cache@v4` and `actions/cache/restore@v4` share one), with concurrent
 * asks for the same repository sharing one request. Sends nothing until `resolve` is called.
 */
export class ActionRefService {
  private readonly client: GitRefsClient;
  private readonly cache = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<RefListing>>();
  /** Repositories listed over the network (for the pin summary and measurements). */
  listings = 0;

  constructor(options: GitRefsClientOptions) {
    this.client = new GitRefsClient(options);
  }

  /** The git server's host, for messages. */
  get host(): string {
    return this.client.host;
  }

  /** What `repository@ref` runs, or why it cannot be resolved; network failures reject with a NetworkError. */
  async resolve(repository: string, ref: string, signal?: AbortSignal): Promise<RefResolution> {
    return resolveRef(await this.listing(repository, signal), ref);
  }

  /** A finished answer for `repository@ref`, if its listing is cached and fresh. */
  cached(repository: string, ref: string): RefResolution | { error: string } | undefined {
    const entry = this.fresh(repository);
    if (!entry) return undefined;
    return 'error' in entry ? { error: entry.error.message } : resolveRef(entry.listing, ref);
  }

  listing(repository: string, signal?: AbortSignal): Promise<RefListing> {
    const key = repository.toLowerCase();
    const entry = this.fresh(repository);
    if (entry) return 'error' in entry ? Promise.reject(entry.error) : Promise.resolve(entry.listing);
    let running = this.inflight.get(key);
    if (!running) {
      this.listings++;
      running = this.client
        .listRefs(repository, signal)
        .then(
          (listing) => {
            this.cache.set(key, { at: Date.now(), listing });
            return listing;
          },
          (error: unknown) => {
            const failure =
              error instanceof NetworkError ? error : new NetworkError('unreachable', String((error as Error).message));
            if (failure.kind !== 'cancelled') this.cache.set(key, { at: Date.now(), error: failure });
            throw failure;
          },
        )
        .finally(() => this.inflight.delete(key));
      this.inflight.set(key, running);
    }
    return running;
  }

  close(): void {
    this.client.close();
  }

  private fresh(repository: string): Entry | undefined {
    const entry = this.cache.get(repository.toLowerCase());
    if (!entry) return undefined;
    const ttl = 'error' in entry ? FAILURE_TTL_MS : LISTING_TTL_MS;
    return Date.now() - entry.at <= ttl ? entry : undefined;
  }
}
