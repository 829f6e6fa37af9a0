import { defaultCacheDir } from '../net/privateDir';
import { registryOptions } from '../registry/userOptions';
import { RegistryClient, RegistryError } from '../registry';
import type { RegistrySettings } from './editorSettings';
import { PinFacts, PinTarget, wantsVersion } from '../pin/rewrite';
import { describeFailure, resolvePinFacts } from '../pin/resolve';
import type { ImageInspection } from '../registry';
import { normalizeReference } from '../registry/reference';

/** How long a failed lookup is remembered before it may be tried again. */
const FAILURE_TTL_MS = 30_000;

type Cached<T> = { value: T; at: number } | { error: string; at: number };

/** Failures that say nothing of one image but of the way to the registry: every lookup there would fail alike. */
const HOST_FAILURES: ReadonlySet<string> = new Set(['unreachable', 'timeout', 'rate-limited']);

/** Whether the registries answered at the last lookup, for the editor's status display. */
export interface RegistryStatus {
  reachable: boolean;
  /** Why the last lookup failed (when not reachable). */
  reason?: string;
  /** The registry that failed (when not reachable). */
  registry?: string;
}

/**
 * The editor's access to registries: one client per settings, lookups cached (answers for the
 * client's tag TTL, failures for 30 s) so the light bulb and hovers never wait twice. Nothing is
 * sent in an untrusted workspace or with `driftguard.registry.enable: false`.
 */
export class RegistryService {
  private client: RegistryClient | undefined;
  private settingsKey = '';
  private settings: RegistrySettings | undefined;
  private readonly facts = new Map<string, Cached<PinFacts>>();
  private readonly inspections = new Map<string, Cached<ImageInspection>>();
  private readonly tagDigests = new Map<string, Cached<string>>();
  private readonly inflight = new Map<string, Promise<unknown>>();
  /**
   * Registries that were unreachable (or rate limiting) at their last lookup: until the failure TTL
   * runs out or the user asks again, lookups there answer with that failure without a request, so a
   * hover or a light bulb on every line of an offline file does not wait on the network each time.
   */
  private readonly downRegistries = new Map<string, { error: string; at: number }>();
  private status: RegistryStatus = { reachable: true };
  /** Told when the registries' reachability changes, and of each failed lookup (for the log). */
  onStatus: (status: RegistryStatus) => void = () => undefined;
  onLookupFailure: (what: string, reason: string) => void = () => undefined;

  /**
   * @param cacheDir the user's private cache folder: VS Code's global storage for the extension,
   *   else `$XDG_CACHE_HOME/driftguard` or `~/.cache/driftguard`; checked before use.
   */
  constructor(
    private readonly trusted: boolean,
    private readonly cacheDir: string | undefined = defaultCacheDir(),
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  configure(settings: RegistrySettings): void {
    const key = JSON.stringify(settings);
    if (key === this.settingsKey) return;
    this.settingsKey = key;
    this.settings = settings;
    this.client?.close();
    this.client = undefined;
    this.facts.clear();
    this.inspections.clear();
    this.tagDigests.clear();
    this.downRegistries.clear();
  }

  /** Forgets every failed lookup, so the next quick fix or hover asks the registry again. */
  forgetFailures(): void {
    for (const cache of [this.facts, this.inspections, this.tagDigests] as Array<Map<string, Cached<unknown>>>)
      for (const [key, entry] of cache) if ('error' in entry) cache.delete(key);
    this.downRegistries.clear();
  }

  currentSettings(): RegistrySettings | undefined {
    return this.settings;
  }

  /** Why lookups are off, or undefined when they may be made. */
  unavailableReason(): string | undefined {
    if (!this.trusted) return 'registry lookups are off in an untrusted workspace';
    if (this.settings && !this.settings.enable) return 'registry lookups are off (driftguard.registry.enable is false)';
    return undefined;
  }

  /** The client for bulk pinning (callers check `unavailableReason()` first). */
  pinClient(): RegistryClient {
    return this.getClient();
  }

  private getClient(): RegistryClient {
    const s = this.settings;
    this.client ??= new RegistryClient({
      ...(s ? registryOptions(s) : {}),
      allowCredentialHelpers: this.trusted,
      ...(this.cacheDir ? { cacheDir: this.cacheDir } : {}),
      log: this.log,
    });
    return this.client;
  }

  private static keyOf(target: PinTarget): string {
    return `${wantsVersion(target.strategy) ? 'version' : 'digest'}:${target.reference.split('@')[0]}`;
  }

  /** A finished lookup for this target, if one is cached and fresh. */
  cachedFacts(target: PinTarget): { facts: PinFacts } | { error: string } | undefined {
    const hit = fresh(this.facts.get(RegistryService.keyOf(target)));
    return hit && ('error' in hit ? { error: hit.error } : { facts: hit.value });
  }

  pinFacts(target: PinTarget, signal?: AbortSignal): Promise<PinFacts> {
    return this.cachedLookup(this.facts, RegistryService.keyOf(target), target.reference, () =>
      resolvePinFacts(this.getClient(), target, signal),
    );
  }

  inspect(reference: string, signal?: AbortSignal): Promise<ImageInspection> {
    return this.cachedLookup(this.inspections, reference, reference, () => this.getClient().inspect(reference, signal));
  }

  async tagDigest(nameAndTag: string): Promise<string> {
    return this.cachedLookup(this.tagDigests, nameAndTag, nameAndTag, async () => {
      const resolved = await this.getClient().resolveDigest(nameAndTag);
      return resolved.platformDigest ?? resolved.digest;
    });
  }

  /** The failure remembered for the registry of `reference`, when it was unreachable a moment ago. */
  registryDown(reference: string): string | undefined {
    const down = fresh(this.downRegistries.get(registryOf(reference)));
    return down && 'error' in down ? down.error : undefined;
  }

  private cachedLookup<T>(
    cache: Map<string, Cached<T>>,
    key: string,
    reference: string,
    run: () => Promise<T>,
  ): Promise<T> {
    const reason = this.unavailableReason();
    if (reason) return Promise.reject(new Error(reason));
    const hit = fresh(cache.get(key));
    if (hit) return 'error' in hit ? Promise.reject(new Error(hit.error)) : Promise.resolve(hit.value);
    const down = this.registryDown(reference);
    if (down) return Promise.reject(new Error(down));
    const flightKey = `${cache === this.facts ? 'f' : cache === this.inspections ? 'i' : 't'}:${key}`;
    const running = this.inflight.get(flightKey) as Promise<T> | undefined;
    if (running) return running;
    const promise = run()
      .then(
        (value) => {
          cache.set(key, { value, at: Date.now() });
          this.setStatus({ reachable: true });
          return value;
        },
        (error: unknown) => {
          if (!(error instanceof RegistryError && error.kind === 'cancelled')) {
            const failure = describeFailure(error);
            cache.set(key, { error: failure, at: Date.now() });
            this.onLookupFailure(reference, failure);
            if (error instanceof RegistryError && HOST_FAILURES.has(error.kind)) {
              const registry = registryOf(reference);
              this.downRegistries.set(registry, { error: failure, at: Date.now() });
              this.setStatus({ reachable: false, reason: failure, registry });
            }
          }
          throw error;
        },
      )
      .finally(() => this.inflight.delete(flightKey));
    this.inflight.set(flightKey, promise);
    return promise;
  }

  private setStatus(status: RegistryStatus): void {
    if (JSON.stringify(status) === JSON.stringify(this.status)) return;
    this.status = status;
    this.onStatus(status);
  }

  dispose(): void {
    void this.client?.flush().finally(() => this.client?.close());
  }
}

/** The registry of an image reference as users write it (`docker.io`, `ghcr.io`); the text itself when unparsable. */
function registryOf(reference: string): string {
  try {
    return normalizeReference(reference.split('@')[0]!).registry;
  } catch {
    return reference;
  }
}

function fresh<T>(entry: Cached<T> | undefined): Cached<T> | undefined {
  if (!entry) return undefined;
  if ('error' in entry && Date.now() - entry.at > FAILURE_TTL_MS) return undefined;
  if (!('error' in entry) && Date.now() - entry.at > 5 * 60_000) return undefined;
  return entry;
}
