import type { RegistryService } from './registryService';
import type { RegistrySettings } from './editorSettings';
import { Fetcher } from '../packages/fetcher';
import { mirrorsFrom, Mirrors } from '../packages/mirrors';
import { PackageVersions } from '../packages/versions';
import { DEFAULT_PLATFORM, PackagePin, PackagePinner } from '../pin/packagePins';
import type { PackageTarget } from '../pin/packageTargets';

/** How long a resolved version is shown as is in titles and hovers before it is asked for again. */
const TTL_MS = 5 * 60_000;

/**
 * The editor's package pinning: one pinner per settings (mirrors from the user's settings only;
 * the registry client, its trust rules and its on/off switch shared with image pins), and the
 * pins already resolved, so a re-opened light bulb shows the exact version without asking again.
 */
export class PackageService {
  private pinner: PackagePinner | undefined;
  private fetcher: Fetcher | undefined;
  private key = '';
  private mirrorError: string | undefined;
  private readonly resolved = new Map<string, { pin: PackagePin; at: number }>();

  constructor(private readonly registry: () => RegistryService) {}

  /** Why no lookup may be made (untrusted workspace, lookups off, a bad mirror setting). */
  unavailableReason(): string | undefined {
    return this.registry().unavailableReason() ?? this.mirrorError;
  }

  configure(settings: RegistrySettings, mirrors: Record<string, string>): void {
    const key = JSON.stringify([settings, mirrors]);
    if (key === this.key) return;
    this.reset();
    this.key = key;
    let parsed: Mirrors;
    try {
      parsed = mirrorsFrom(mirrors);
      this.mirrorError = undefined;
    } catch (error) {
      this.mirrorError = `driftguard.packages.mirrors: ${(error as Error).message}`;
      return;
    }
    this.fetcher = new Fetcher({
      timeoutMs: settings.timeoutMs,
      insecure: settings.insecure,
      ...(settings.caFile ? { caFile: settings.caFile } : {}),
      ...(settings.proxy ? { proxy: settings.proxy } : {}),
    });
    this.pinner = new PackagePinner(
      new PackageVersions(this.fetcher, parsed),
      this.registry().pinClient(),
      settings.platform ?? DEFAULT_PLATFORM,
    );
  }

  /** Forgets the pinner (the registry service was replaced: new trust or settings); the next configure builds one. */
  reset(): void {
    this.key = '';
    this.fetcher?.close();
    this.fetcher = undefined;
    this.pinner = undefined;
    this.resolved.clear();
  }

  /** A pin resolved earlier for the same package in the same context, if still fresh. */
  cached(target: PackageTarget): PackagePin | undefined {
    const hit = this.resolved.get(keyOf(target));
    return hit && Date.now() - hit.at < TTL_MS ? { ...hit.pin, target } : undefined;
  }

  async resolve(targets: readonly PackageTarget[], signal?: AbortSignal): Promise<PackagePin[]> {
    const reason = this.unavailableReason();
    if (reason || !this.pinner)
      return targets.map((target) => ({ target, reason: reason ?? 'package lookups are not configured' }));
    const pins = await this.pinner.resolve(targets, signal);
    for (const pin of pins) if (pin.edit) this.resolved.set(keyOf(pin.target), { pin, at: Date.now() });
    return pins;
  }

  dispose(): void {
    this.fetcher?.close();
  }
}

function keyOf(target: PackageTarget): string {
  return JSON.stringify([
    target.family,
    target.name,
    target.base?.reference,
    target.base?.platform,
    target.fileIndexes,
  ]);
}
