import { createHash } from 'node:crypto';
import { RegistryError } from '../../registry/errors';
import { Compression, streamText } from '../decompress';
import { Fetcher, joinUrl } from '../fetcher';
import { DebianVersions, PackagesIndexReader } from './packagesIndex';
import { parseRelease, ReleaseFile } from './release';

/** One suite of one archive, e.g. `https://deb.debian.org/debian-security` + `bookworm-security`. */
export interface SuiteLocation {
  base: string;
  suite: string;
}

/** A Release file is asked for again after this long; indices are kept while its date is unchanged. */
const RELEASE_TTL_MS = 10 * 60_000;

/**
 * Reads Debian-format archives (Debian, Ubuntu): a suite's InRelease (else Release), then a
 * component's `Packages` index for one architecture, checked against the SHA256 list before any of
 * it is used. Indices are cached for the session under their Release date.
 */
export class DebianArchive {
  private readonly releases = new Map<string, { at: number; release: Promise<ReleaseFile> }>();
  private readonly indices = new Map<string, Promise<DebianVersions>>();

  constructor(private readonly fetcher: Fetcher) {}

  release(location: SuiteLocation, signal?: AbortSignal): Promise<ReleaseFile> {
    const key = `${location.base}|${location.suite}`;
    const cached = this.releases.get(key);
    if (cached && Date.now() - cached.at < RELEASE_TTL_MS) return cached.release;
    const release = this.fetchRelease(location, signal);
    this.releases.set(key, { at: Date.now(), release });
    release.catch(() => this.releases.delete(key));
    return release;
  }

  /** Newest version per package in `component` for `architecture` (and `all`). */
  async versions(
    location: SuiteLocation,
    component: string,
    architecture: string,
    signal?: AbortSignal,
  ): Promise<DebianVersions> {
    const release = await this.release(location, signal);
    const key = `${location.base}|${location.suite}|${release.date}|${component}|${architecture}`;
    let index = this.indices.get(key);
    if (!index) {
      index = this.fetchIndex(location, release, component, architecture, signal);
      this.indices.set(key, index);
      index.catch(() => this.indices.delete(key));
    }
    return index;
  }

  private async fetchRelease(location: SuiteLocation, signal?: AbortSignal): Promise<ReleaseFile> {
    const dists = joinUrl(location.base, `dists/${location.suite}`);
    let text: string;
    try {
      text = (
        await this.fetcher.get(`${dists}/InRelease`, `${location.suite} InRelease`, signalOpt(signal))
      ).body.toString('utf8');
    } catch (error) {
      if (!(error instanceof RegistryError && error.kind === 'not-found')) throw error;
      text = (await this.fetcher.get(`${dists}/Release`, `suite ${location.suite}`, signalOpt(signal))).body.toString(
        'utf8',
      );
    }
    try {
      return parseRelease(text);
    } catch (error) {
      throw new RegistryError('malformed', `malformed Release file of ${location.suite}: ${(error as Error).message}`);
    }
  }

  private async fetchIndex(
    location: SuiteLocation,
    release: ReleaseFile,
    component: string,
    architecture: string,
    signal?: AbortSignal,
  ): Promise<DebianVersions> {
    const dir = `${component}/binary-${architecture}`;
    const plain = release.sha256.get(`${dir}/Packages`);
    // gzip first: Node decompresses it natively, several times faster than xz in WebAssembly.
    const choice = (['gz', 'xz', 'none'] as const)
      .map((c: Compression) => ({ compression: c, path: `${dir}/Packages${c === 'none' ? '' : `.${c}`}` }))
      .find((c) => release.sha256.has(c.path));
    if (!choice)
      throw new RegistryError(
        'not-found',
        `${location.suite} has no ${component} packages for ${architecture} (not in its Release file)`,
      );
    const expected = release.sha256.get(choice.path)!;
    const res = await this.fetcher.get(
      joinUrl(location.base, `dists/${location.suite}/${choice.path}`),
      `${location.suite} ${choice.path}`,
      {
        large: true,
        ...signalOpt(signal),
      },
    );
    const compressedOk = sha256Hex(res.body) === expected.hash;
    const reader = new PackagesIndexReader(architecture, location.suite);
    let decompressed;
    try {
      decompressed = await streamText(res.body, choice.compression, (text) => reader.push(text));
    } catch (error) {
      throw new RegistryError('malformed', `${location.suite} ${choice.path}: ${(error as Error).message}`);
    }
    // The bytes read must be the ones the Release file lists: compressed as served, or decompressed.
    const contentOk = plain !== undefined && plain.hash === decompressed.sha256 && plain.size === decompressed.size;
    if (!compressedOk && !contentOk)
      throw new RegistryError(
        'malformed',
        `${location.suite} ${choice.path} does not match the SHA256 of its Release file ` +
          '(mirror being updated? try again)',
      );
    return reader.end();
  }
}

function sha256Hex(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

function signalOpt(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}
