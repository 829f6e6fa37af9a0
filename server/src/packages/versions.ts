import { RegistryError } from '../registry/errors';
import { DebianArchive, SuiteLocation } from './debian/archive';
import { parseApkIndexArchive, type ApkVersions } from './alpine/apkIndex';
import { alpineArchitecture, debianArchitecture, describeDistribution, Distribution } from './distro';
import { Fetcher, joinUrl } from './fetcher';
import { hostOf, Mirrors } from './mirrors';
import { newestRelease, parseProjectPage, SIMPLE_ACCEPT } from './python/simpleIndex';
import { normalizeProjectName } from './python/pep440';
import { latestOfPackument, PACKUMENT_ACCEPT, packumentPath } from './npm/packument';
import { newestGemVersion } from './ruby/compactIndex';
import { compareDebianVersions as compareDebian } from './dpkgVersion';
import { compareApkVersions as compareApk } from './alpine/apkVersion';

/** A version to pin and where it was read. */
export interface FoundVersion {
  version: string;
  /** Where, for titles and hovers: `bookworm-security`, `v3.20/main`, `pypi.org`. */
  source: string;
  /** The archive or index URL it came from. */
  url: string;
  /** Said with the pin: a newer PyPI release passed over because it needs another Python. */
  note?: string;
}

export type VersionAnswer = FoundVersion | { reason: string };

/** Longest a whole lookup (every index it needs) may take. */
export const LOOKUP_DEADLINE_MS = 180_000;

/**
 * The versions package managers would install today, read from the archives and indices the user
 * configured. Every index is read once per session (Debian-format ones while their Release date
 * stays the same); concurrent lookups share downloads.
 */
export class PackageVersions {
  private readonly debian: DebianArchive;
  private readonly apk = new Map<string, Promise<ApkVersions>>();
  private readonly documents = new Map<string, Promise<string>>();

  constructor(
    private readonly fetcher: Fetcher,
    readonly mirrors: Mirrors,
  ) {
    this.debian = new DebianArchive(fetcher);
  }

  /** Versions of `names` in a distribution for one platform (`linux/amd64`). */
  async osVersions(
    distribution: Distribution,
    platform: string,
    names: readonly string[],
    signal?: AbortSignal,
  ): Promise<Map<string, VersionAnswer>> {
    const deadline = withDeadline(signal);
    try {
      return distribution.family === 'alpine'
        ? await this.alpineVersions(distribution.branch, platform, names, deadline)
        : await this.debianVersions(distribution, platform, names, deadline);
    } catch (error) {
      throw deadlineError(error, deadline, describeDistribution(distribution));
    }
  }

  private async debianVersions(
    distribution: Extract<Distribution, { family: 'debian' | 'ubuntu' }>,
    platform: string,
    names: readonly string[],
    signal: AbortSignal,
  ): Promise<Map<string, VersionAnswer>> {
    const arch = debianArchitecture(platform);
    const label = describeDistribution(distribution);
    if (!arch) return allReason(names, `${label} has no packages for ${platform}`);
    const { codename } = distribution;
    let suites: SuiteLocation[];
    let components: string[];
    if (distribution.family === 'debian') {
      const base = this.mirrors.debian;
      suites =
        codename === 'sid'
          ? [{ base, suite: 'sid' }]
          : [
              { base, suite: codename },
              { base, suite: `${codename}-updates` },
              { base: this.mirrors['debian-security'], suite: `${codename}-security` },
            ];
      components = ['main'];
    } else {
      const ports = arch !== 'amd64' && arch !== 'i386';
      const base = ports ? this.mirrors['ubuntu-ports'] : this.mirrors.ubuntu;
      const security = ports ? this.mirrors['ubuntu-ports'] : this.mirrors['ubuntu-security'];
      suites = [
        { base, suite: codename },
        { base, suite: `${codename}-updates` },
        { base: security, suite: `${codename}-security` },
      ];
      // The official image enables all four; a package lives in one, so later ones are read only when needed.
      components = ['main', 'restricted', 'universe', 'multiverse'];
    }
    const found = new Map<string, VersionAnswer>();
    let missing = [...new Set(names)];
    for (const component of components) {
      if (missing.length === 0) break;
      const present = await this.presentSuites(suites, label, signal);
      const indices = await Promise.all(
        present.map((location) => this.debian.versions(location, component, arch, signal)),
      );
      missing = missing.filter((name) => {
        const best = newestOf(name, indices, (a, b) => compareDebian(a, b));
        if (!best) return true;
        const location = suites.find((s) => s.suite === best.source)!;
        found.set(name, { version: best.version, source: best.source, url: location.base });
        return false;
      });
    }
    for (const name of missing)
      found.set(name, {
        reason:
          `${name} is not a ${arch} package of ${label} (${components.join(', ')}): ` +
          'a virtual package, a typo, or from a repository the image adds',
      });
    return found;
  }

  /**
   * The suites whose Release file the mirror has. -updates and -security may be missing (a release
   * not out yet, or past its support): the release itself may not. An index missing from a suite
   * that has a Release file is an error, never skipped.
   */
  private async presentSuites(suites: SuiteLocation[], label: string, signal: AbortSignal): Promise<SuiteLocation[]> {
    const present = await Promise.all(
      suites.map((location, i) =>
        this.debian.release(location, signal).then(
          () => location,
          (error: unknown) => {
            if (!(error instanceof RegistryError && error.kind === 'not-found')) throw error;
            if (i === 0)
              throw new RegistryError('not-found', `${label} is not on ${hostOf(location.base)} (${error.message})`);
            return undefined;
          },
        ),
      ),
    );
    return present.filter((s): s is SuiteLocation => !!s);
  }

  private async alpineVersions(
    branch: string,
    platform: string,
    names: readonly string[],
    signal: AbortSignal,
  ): Promise<Map<string, VersionAnswer>> {
    const arch = alpineArchitecture(platform);
    if (!arch) return allReason(names, `Alpine ${branch} has no packages for ${platform}`);
    const repositories = ['main', 'community'];
    const indices = await Promise.all(
      repositories.map((repository) => this.apkIndex(branch, repository, arch, signal)),
    );
    const found = new Map<string, VersionAnswer>();
    for (const name of names) {
      const best = newestOf(name, indices, (a, b) => compareApk(a, b));
      found.set(
        name,
        best
          ? { version: best.version, source: best.source, url: this.mirrors.alpine }
          : { reason: `${name} is not an ${arch} package of Alpine ${branch} (main, community)` },
      );
    }
    return found;
  }

  private apkIndex(branch: string, repository: string, arch: string, signal: AbortSignal): Promise<ApkVersions> {
    const url = joinUrl(this.mirrors.alpine, `${branch}/${repository}/${arch}/APKINDEX.tar.gz`);
    let index = this.apk.get(url);
    if (!index) {
      index = this.fetcher.get(url, `Alpine ${branch}/${repository} index`, { large: true, signal }).then((res) => {
        try {
          return parseApkIndexArchive(res.body, arch, `${branch}/${repository}`);
        } catch (error) {
          throw new RegistryError('malformed', `${url}: ${(error as Error).message}`);
        }
      });
      this.apk.set(url, index);
      index.catch(() => this.apk.delete(url));
    }
    return index;
  }

  /**
   * The newest final, not yanked release of a project on a simple index (PEP 691 JSON or PEP 503
   * HTML) whose Requires-Python admits `python` (the image's, `3.12` or `3.12.4`) when it is known.
   */
  async pypi(index: string, project: string, signal?: AbortSignal, python?: string): Promise<FoundVersion> {
    const url = joinUrl(index, `${normalizeProjectName(project)}/`);
    const page = await this.document(url, `${project} on ${hostOf(index)}`, SIMPLE_ACCEPT, signal);
    let files;
    try {
      files = parseProjectPage(page.body, page.type);
    } catch (error) {
      throw new RegistryError('malformed', `malformed project page ${url}: ${(error as Error).message}`);
    }
    const choice = newestRelease(files, project, python);
    if (!choice)
      throw new RegistryError(
        'not-found',
        `${project} has no release on ${hostOf(index)} that pip would pick${python ? ` for Python ${python}` : ''}`,
      );
    const passed = choice.needsOtherPython;
    const found: FoundVersion = { version: choice.version.text, source: hostOf(index), url: index };
    if (passed) found.note = `${project} ${passed.version} and newer need Python ${passed.requiresPython}`;
    return found;
  }

  /** `dist-tags.latest` of a package, as `npm install name` takes it. */
  async npm(registry: string, name: string, signal?: AbortSignal): Promise<FoundVersion> {
    const url = joinUrl(registry, packumentPath(name));
    const page = await this.document(url, `${name} on ${hostOf(registry)}`, PACKUMENT_ACCEPT, signal);
    try {
      return { version: latestOfPackument(page.body), source: hostOf(registry), url: registry };
    } catch (error) {
      throw new RegistryError('malformed', `${name} on ${hostOf(registry)}: ${(error as Error).message}`);
    }
  }

  /** The newest release of a gem, from the source's compact index. */
  async gem(source: string, name: string, signal?: AbortSignal): Promise<FoundVersion> {
    const url = joinUrl(source, `info/${encodeURIComponent(name)}`);
    const page = await this.document(url, `gem ${name} on ${hostOf(source)}`, 'text/plain', signal);
    const version = newestGemVersion(page.body);
    if (!version) throw new RegistryError('not-found', `gem ${name} has no release on ${hostOf(source)}`);
    return { version, source: hostOf(source), url: source };
  }

  private document(
    url: string,
    what: string,
    accept: string,
    signal?: AbortSignal,
  ): Promise<{ body: string; type: string | undefined }> {
    const key = `${accept}|${url}`;
    let cached = this.documents.get(key) as Promise<unknown> | undefined;
    if (!cached) {
      const deadline = withDeadline(signal);
      cached = this.fetcher
        .get(url, what, { accept, signal: deadline })
        .then((res) => ({ body: res.body.toString('utf8'), type: firstHeader(res.headers['content-type']) }))
        .catch((error: unknown) => {
          throw deadlineError(error, deadline, what);
        });
      this.documents.set(key, cached as Promise<string>);
      cached.catch(() => this.documents.delete(key));
    }
    return cached as Promise<{ body: string; type: string | undefined }>;
  }
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function allReason(names: readonly string[], reason: string): Map<string, VersionAnswer> {
  return new Map(names.map((n) => [n, { reason }]));
}

function newestOf(
  name: string,
  indices: ReadonlyArray<ReadonlyMap<string, { version: string; source: string }>>,
  compare: (a: string, b: string) => number,
): { version: string; source: string } | undefined {
  let best: { version: string; source: string } | undefined;
  for (const index of indices) {
    const entry = index.get(name);
    if (entry && (!best || compare(entry.version, best.version) > 0)) best = entry;
  }
  return best;
}

function withDeadline(signal: AbortSignal | undefined): AbortSignal {
  const deadline = AbortSignal.timeout(LOOKUP_DEADLINE_MS);
  return signal ? AbortSignal.any([signal, deadline]) : deadline;
}

function deadlineError(error: unknown, signal: AbortSignal, what: string): unknown {
  if (signal.aborted && signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError')
    return new RegistryError('timeout', `${what}: no answer within ${LOOKUP_DEADLINE_MS / 1000} s`);
  return error;
}
