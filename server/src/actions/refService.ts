import { NetworkError } from '../net/errors';
import { GitRefsClient, type GitRefsClientOptions } from '../git/smartHttp';
import type { RefListing } from '../git/refs';
import { resolveRef, type RefResolution } from './refResolution';

/** How long a repository's listing is reused (a pin run, a menu re-opened) before it is asked again. */
const LISTING_TTL_MS = 5 * 60_000;
/** How long a failed listing is remembered before it may be tried again. */
const FAILURE_TTL_MS = 30_000;

type Entry = { at: number; listing: RefListing } | { at: number; error: NetworkError };

/** Failures that say nothing of one repository but of the way to the server: every listing there would fail alike. */
const HOST_FAILURES: ReadonlySet<string> = new Set(['unreachable', 'timeout', 'rate-limited']);

/** Whether the git server answered at the last listing (the shape of the registry's status). */
export interface GitServerStatus {
  reachable: boolean;
  reason?: string;
  /** The server's host, when it did not answer. */
  registry?: string;
}

/**
 * Resolves action refs against one git server, one listing per repository however many refs of it
 * a workflow names (`actions/cache@v4` and `actions/cache/restore@v4` share one), with concurrent
 * asks for the same repository sharing one request. Sends nothing until `resolve` is called.
 */
export class ActionRefService {
  private readonly client: GitRefsClient;
  private readonly cache = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<RefListing>>();
  /**
   * The server was unreachable (or rate limiting) at its last listing: until the failure TTL runs out
   * or `forgetFailures()`, every repository answers with that failure without a request, so a file
   * naming twenty actions does not wait twenty timeouts.
   */
  private down: { at: number; error: NetworkError } | undefined;
  private status: GitServerStatus = { reachable: true };
  /** Repositories listed over the network (for the pin summary and measurements). */
  listings = 0;
  /** Told when the server's reachability changes. */
  onStatus: (status: GitServerStatus) => void = () => undefined;
  /** Told of each failed listing (for the log). */
  onLookupFailure: (repository: string, reason: string) => void = () => undefined;

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
            this.down = undefined;
            this.setStatus({ reachable: true });
            return listing;
          },
          (error: unknown) => {
            const failure =
              error instanceof NetworkError ? error : new NetworkError('unreachable', String((error as Error).message));
            if (failure.kind !== 'cancelled') {
              this.cache.set(key, { at: Date.now(), error: failure });
              this.onLookupFailure(repository, failure.message);
              if (HOST_FAILURES.has(failure.kind)) {
                this.down = { at: Date.now(), error: failure };
                this.setStatus({ reachable: false, reason: failure.message, registry: this.host });
              }
            }
            throw failure;
          },
        )
        .finally(() => this.inflight.delete(key));
      this.inflight.set(key, running);
    }
    return running;
  }

  /** Forgets every failed listing (and that the server was unreachable): the next lookup asks again. */
  forgetFailures(): void {
    for (const [key, entry] of this.cache) if ('error' in entry) this.cache.delete(key);
    this.down = undefined;
  }

  close(): void {
    this.client.close();
  }

  /** The repository's cached listing or failure, else the server's failure when it was unreachable a moment ago. */
  private fresh(repository: string): Entry | undefined {
    const entry = this.cache.get(repository.toLowerCase());
    if (entry && Date.now() - entry.at <= ('error' in entry ? FAILURE_TTL_MS : LISTING_TTL_MS)) return entry;
    return this.down && Date.now() - this.down.at <= FAILURE_TTL_MS ? this.down : undefined;
  }

  private setStatus(status: GitServerStatus): void {
    if (JSON.stringify(status) === JSON.stringify(this.status)) return;
    this.status = status;
    this.onStatus(status);
  }
}
