import { Authenticator } from './auth';
import { RegistryCache } from './cache';
import { DockerCredentials } from './credentials';
import { RegistryError, statusError, throwIfAborted } from './errors';
import { plainHttpAllowed, splitHost } from '../net/hostPolicy';
import { HttpClient, header, parseRetryAfter, type HttpResponse } from '../net/http';
import { withDeadline } from '../net/deadline';
import {
  contentMatchesDigest,
  isDigest,
  parseManifest,
  pickPlatform,
  sha256Digest,
  type ManifestSummary,
} from './manifest';
import { MANIFEST_ACCEPT } from './mediaTypes';
import { normalizeReference, referenceName, type NormalizedReference } from './reference';
import { mapLimit } from '../net/semaphore';
import { findMostSpecific, parseVersionTag, compareVersionTags, versionCandidates, type VersionTag } from './versions';

/** Settings of a {@link RegistryClient}; hosts map `driftguard.registry.*` onto these. */
export interface RegistryClientOptions {
  /** Per request attempt. Default 10 000 ms. */
  timeoutMs?: number;
  /** Registries (`host` or `host:port`) that may be reached over plain HTTP; loopback always may. */
  insecure?: string[];
  /** Extra CA certificates (PEM file), trusted in addition to Node's roots. */
  caFile?: string;
  /** Proxy URL (e.g. VS Code's `http.proxy`); default from HTTPS_PROXY / HTTP_PROXY / NO_PROXY. */
  proxy?: string;
  noProxy?: string;
  /** `linux/amd64` style: also resolve that platform's manifest from an index (`platformDigest`). */
  platform?: string;
  /** Run `docker-credential-*` helpers. Hosts set this only in trusted workspaces. */
  allowCredentialHelpers?: boolean;
  /** Directory holding Docker's `config.json`; default `$DOCKER_CONFIG` or `~/.docker`. */
  dockerConfigDir?: string;
  /** Private per-user directory for the on-disk cache (checked before use); memory only when absent. */
  cacheDir?: string;
  /** Told of problems worth a line in a log (e.g. why the disk cache is not used). */
  log?: (message: string) => void;
  /** Freshness of tag → digest answers. Default 5 minutes. */
  tagTtlMs?: number;
  /** Retries after 429/5xx. Default 3. */
  retries?: number;
  retryBaseMs?: number;
  /** Longest Retry-After worth waiting for; longer ones fail as `rate-limited`. Default 5 000 ms. */
  maxRetryAfterMs?: number;
  /** Requests in flight per registry host. Default 4. */
  maxConcurrentPerHost?: number;
  /** Most tags HEAD-ed by `tagsSharingDigest` / `findVersionForLatest`. Default 100. */
  maxTagChecks?: number;
  /** One lookup (every request, page, retry and wait of one method call) ends after this. Default 6 × `timeoutMs`. */
  lookupDeadlineMs?: number;
  /** Environment for proxy variables, DOCKER_CONFIG, HOME and credential helpers' PATH. */
  env?: NodeJS.ProcessEnv;
}

/** What a tag or digest reference resolves to. */
export interface ResolvedDigest {
  reference: NormalizedReference;
  /** Digest of what the tag points to: the index/list for multi-arch images. */
  digest: string;
  mediaType: string;
  /** `os/arch[/variant]` of an index's manifests (attestations excluded); empty for a single manifest. */
  platforms: string[];
  /** With the `platform` option and an index: that platform's manifest digest. Pin `platformDigest ?? digest`. */
  platformDigest?: string;
}

/** A version tag that points to the same content as the tag asked about. */
export interface VersionMatch {
  reference: NormalizedReference;
  /** e.g. `1.27.2`. */
  tag: string;
  digest: string;
  platformDigest?: string;
}

/** What the image config blob of one platform says about how the image was built. */
export interface ImageConfig {
  /** Digest of the platform's manifest the config belongs to. */
  manifestDigest: string;
  /** `os/arch[/variant]` from the config. */
  platform: string;
  /** `created_by` of each history entry, oldest first. */
  history: string[];
  labels: Record<string, string>;
  env: string[];
}

/** Largest image config read: configs are a few KB; a huge one is not an image config. */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** Everything a hover shows about an image reference. */
export interface ImageInspection extends ResolvedDigest {
  /** Tags of the repository (at most `maxTagChecks` examined) pointing to the same digest. */
  tagsSharingDigest: string[];
  /** `created` of the image config (the chosen platform's, or the first platform's). */
  created?: string;
}

/**
 * Talks to OCI / Docker registries (Distribution API v2). Sends nothing until a method is
 * called. Every failure is a {@link RegistryError}.
 */
export class RegistryClient {
  private readonly http: HttpClient;
  private readonly credentials: DockerCredentials;
  private readonly auth: Authenticator;
  private readonly cache: RegistryCache;
  private readonly schemes = new Map<string, 'https:' | 'http:'>();
  private readonly insecure: string[];
  private readonly deadlineMs: number;

  constructor(private readonly options: RegistryClientOptions = {}) {
    this.insecure = options.insecure ?? [];
    this.deadlineMs = options.lookupDeadlineMs ?? 6 * (options.timeoutMs ?? 10_000);
    const env = options.env ?? process.env;
    this.http = new HttpClient({
      insecure: this.insecure,
      env,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.caFile ? { caFile: options.caFile } : {}),
      ...(options.proxy ? { proxy: options.proxy } : {}),
      ...(options.noProxy !== undefined ? { noProxy: options.noProxy } : {}),
      ...(options.retries !== undefined ? { retries: options.retries } : {}),
      ...(options.retryBaseMs !== undefined ? { retryBaseMs: options.retryBaseMs } : {}),
      ...(options.maxRetryAfterMs !== undefined ? { maxRetryAfterMs: options.maxRetryAfterMs } : {}),
      ...(options.maxConcurrentPerHost !== undefined ? { maxPerHost: options.maxConcurrentPerHost } : {}),
      labels: REGISTRY_LABELS,
    });
    this.credentials = new DockerCredentials({
      env,
      allowCredentialHelpers: options.allowCredentialHelpers === true,
      ...(options.dockerConfigDir ? { dockerConfigDir: options.dockerConfigDir } : {}),
    });
    this.auth = new Authenticator(this.http, this.credentials);
    this.cache = new RegistryCache({
      ...(options.cacheDir ? { dir: options.cacheDir } : {}),
      ...(options.tagTtlMs !== undefined ? { tagTtlMs: options.tagTtlMs } : {}),
      ...(options.log ? { onProblem: options.log } : {}),
    });
  }

  /** Digest (and platforms) of `ref`; an untagged reference means `latest`. */
  resolveDigest(ref: string, signal?: AbortSignal): Promise<ResolvedDigest> {
    return this.lookup(ref, signal, (s) => this.resolveDigestIn(normalizeReference(ref), s));
  }

  /**
   * All tags of a repository (`nginx`, `ghcr.io/o/app`; a tag in the text is ignored), following
   * `Link` pages on the same origin. A list beyond {@link MAX_LISTED_TAGS} tags or
   * {@link MAX_LIST_BYTES} bytes, or whose `Link` comes round again, is cut there.
   */
  listTags(repository: string, signal?: AbortSignal): Promise<string[]> {
    return this.lookup(repository, signal, (s) => this.listTagsIn(normalizeReference(repository), s));
  }

  /** Tags of the repository whose digest equals `ref`'s (checks at most `maxTagChecks` tags). */
  tagsSharingDigest(ref: string, signal?: AbortSignal): Promise<string[]> {
    return this.lookup(ref, signal, async (s) => {
      const reference = normalizeReference(ref);
      const digest = reference.digest ?? (await this.tagDigest(reference, reference.tag ?? 'latest', s));
      return this.sharing(reference, digest, s);
    });
  }

  /**
   * The most specific version-like tag (`1.27.2` over `1.27` over `1`) pointing to the same digest
   * as `ref`'s tag (default `latest`); for a flavor tag like `alpine`, tags like `1.27.2-alpine`.
   * Undefined when no version tag shares the digest. The digest returned is verified against the
   * manifest's content, since callers write it into files.
   */
  findVersionForLatest(ref: string, signal?: AbortSignal): Promise<VersionMatch | undefined> {
    return this.lookup(ref, signal, (s) => this.findVersionIn(normalizeReference(ref), s));
  }

  /** Digest, platforms, tags sharing the digest and creation date, for hovers. */
  inspect(ref: string, signal?: AbortSignal): Promise<ImageInspection> {
    return this.lookup(ref, signal, async (s) => {
      const resolved = await this.resolveDigestIn(normalizeReference(ref), s);
      const reference = resolved.reference;
      const [tagsSharingDigest, created] = await Promise.all([
        this.sharing(reference, resolved.digest, s),
        this.created(reference, resolved, s),
      ]);
      return { ...resolved, tagsSharingDigest, ...(created ? { created } : {}) };
    });
  }

  /** Writes the on-disk cache now (it is otherwise written shortly after changes). */
  flush(): Promise<void> {
    return this.cache.flush();
  }

  /** Closes idle connections. */
  close(): void {
    this.http.close();
  }

  /** One public call: every request it makes shares one overall deadline. */
  private lookup<T>(
    ref: string,
    signal: AbortSignal | undefined,
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    return withDeadline(this.deadlineMs, `registry lookup of ${ref.trim()}`, signal, work);
  }

  private async resolveDigestIn(reference: NormalizedReference, signal: AbortSignal): Promise<ResolvedDigest> {
    const digest = reference.digest ?? (await this.tagDigest(reference, reference.tag ?? 'latest', signal));
    const summary = await this.manifest(reference, digest, signal);
    return this.describe(reference, digest, summary);
  }

  private async listTagsIn(reference: NormalizedReference, signal?: AbortSignal): Promise<string[]> {
    const key = referenceName(reference);
    const cached = this.cache.getList(key);
    if (cached) return cached;
    const tags: string[] = [];
    const seen = new Set<string>();
    const pages = new Set<string>();
    let bytes = 0;
    let path: string | undefined = `/v2/${reference.repository}/tags/list`;
    while (path && !pages.has(path) && pages.size < MAX_LIST_PAGES) {
      pages.add(path);
      const res = await this.call(reference, 'GET', path, {}, `${key} tags`, signal);
      bytes += res.body.length;
      let body: { tags?: unknown };
      try {
        body = JSON.parse(res.body.toString('utf8')) as typeof body;
      } catch {
        throw new RegistryError('malformed', `malformed tag list from ${reference.registry}: not JSON`, {
          host: reference.apiHost,
        });
      }
      if (body.tags !== null && body.tags !== undefined && !Array.isArray(body.tags)) {
        throw new RegistryError('malformed', `malformed tag list from ${reference.registry}`, {
          host: reference.apiHost,
        });
      }
      for (const t of (body.tags as unknown[] | null | undefined) ?? []) {
        if (typeof t === 'string' && !seen.has(t)) {
          seen.add(t);
          tags.push(t);
        }
      }
      if (tags.length >= MAX_LISTED_TAGS || bytes >= MAX_LIST_BYTES) break;
      path = nextPage(header(res, 'link'), res.url);
    }
    const list = tags.slice(0, MAX_LISTED_TAGS);
    this.cache.setList(key, list);
    return list;
  }

  private async findVersionIn(reference: NormalizedReference, signal: AbortSignal): Promise<VersionMatch | undefined> {
    const digest = reference.digest ?? (await this.tagDigest(reference, reference.tag ?? 'latest', signal));
    const tags = await this.listTagsIn(reference, signal);
    const candidates = versionCandidates(tags, reference.tag ?? 'latest');
    const best = await findMostSpecific(
      candidates,
      async (tag) => (await this.tagDigestOrUndefined(reference, tag, signal)) === digest,
      {
        batch: 4,
        max: this.options.maxTagChecks ?? 100,
      },
    );
    if (!best) return undefined;
    // HEAD answers are only claims: the manifest must hash to the digest before anyone pins it.
    const resolved = this.describe(reference, digest, await this.manifest(reference, digest, signal));
    const match: VersionMatch = { reference: { ...reference, tag: best.tag, digest }, tag: best.tag, digest };
    if (resolved.platformDigest) match.platformDigest = resolved.platformDigest;
    return match;
  }

  /**
   * The config blob of `ref` for `platform` (`os/arch[/variant]`): from a multi-arch index that
   * platform's manifest; a single manifest must be for it. The blob is checked against its digest
   * before it is read, and cached under it.
   */
  async imageConfig(ref: string, platform: string, signal?: AbortSignal): Promise<ImageConfig> {
    const reference = normalizeReference(ref);
    const digest = reference.digest ?? (await this.tagDigest(reference, reference.tag ?? 'latest', signal));
    let manifestDigest = digest;
    let summary = await this.manifest(reference, digest, signal);
    if (summary.index) {
      const child = pickPlatform(summary.children, platform);
      if (!child)
        throw new RegistryError(
          'not-found',
          `no ${platform} image in ${referenceName(reference)} ` +
            `(has ${summary.children.map((c) => c.platform).join(', ') || 'none'})`,
          { host: reference.apiHost },
        );
      manifestDigest = child.digest;
      summary = await this.manifest(reference, child.digest, signal);
    }
    const configDigest = summary.configDigest;
    if (!configDigest)
      throw new RegistryError('malformed', `no config in ${referenceName(reference)}@${manifestDigest.slice(0, 19)}…`);
    const key = `${referenceName(reference)}@${configDigest}#facts`;
    let config = this.cache.getDigest<Omit<ImageConfig, 'manifestDigest'>>(key);
    if (!config) {
      const res = await this.call(
        reference,
        'GET',
        `/v2/${reference.repository}/blobs/${configDigest}`,
        {},
        `config blob of ${referenceName(reference)}`,
        signal,
      );
      if (res.body.length > MAX_CONFIG_BYTES || sha256Digest(res.body) !== configDigest)
        throw new RegistryError(
          'malformed',
          `config blob of ${referenceName(reference)} does not match ${configDigest}`,
          {
            host: reference.apiHost,
          },
        );
      config = parseImageConfig(res.body, reference.registry);
      this.cache.setDigest(key, config);
    }
    if (!summary.index && pickPlatform([{ digest, mediaType: '', platform: config.platform }], platform) === undefined)
      throw new RegistryError(
        'not-found',
        `${referenceName(reference)} is a ${config.platform} image only, not ${platform}`,
        {
          host: reference.apiHost,
        },
      );
    return { manifestDigest, ...config };
  }

  private describe(reference: NormalizedReference, digest: string, summary: ManifestSummary): ResolvedDigest {
    const out: ResolvedDigest = {
      reference: { ...reference, digest },
      digest,
      mediaType: summary.mediaType,
      platforms: summary.children.map((c) => c.platform),
    };
    if (this.options.platform && summary.index) {
      const child = pickPlatform(summary.children, this.options.platform);
      if (!child) {
        throw new RegistryError(
          'not-found',
          `no ${this.options.platform} image in ${referenceName(reference)}@${digest.slice(0, 19)}… (has ` +
            `${out.platforms.join(', ') || 'none'})`,
          {
            host: reference.apiHost,
          },
        );
      }
      out.platformDigest = child.digest;
    }
    return out;
  }

  private async sharing(reference: NormalizedReference, digest: string, signal?: AbortSignal): Promise<string[]> {
    const tags = await this.listTagsIn(reference, signal);
    const versions = new Map<string, VersionTag>();
    for (const t of tags) {
      const v = parseVersionTag(t);
      if (v) versions.set(t, v);
    }
    const named = tags.filter((t) => !versions.has(t)).sort();
    const ordered = [...named, ...[...versions.values()].sort(compareVersionTags).map((v) => v.tag)].slice(
      0,
      this.options.maxTagChecks ?? 100,
    );
    const digests = await mapLimit(ordered, 4, (tag) => this.tagDigestOrUndefined(reference, tag, signal));
    return ordered.filter((_, i) => digests[i] === digest);
  }

  private async created(
    reference: NormalizedReference,
    resolved: ResolvedDigest,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const top = await this.manifest(reference, resolved.digest, signal);
    const childDigest = resolved.platformDigest ?? top.children[0]?.digest;
    const summary = top.index ? (childDigest ? await this.manifest(reference, childDigest, signal) : undefined) : top;
    const configDigest = summary?.configDigest;
    if (!configDigest) return undefined;
    const key = `${referenceName(reference)}@${configDigest}`;
    const cached = this.cache.getDigest<{ created?: string }>(key);
    if (cached) return cached.created;
    let res: HttpResponse;
    try {
      res = await this.call(
        reference,
        'GET',
        `/v2/${reference.repository}/blobs/${configDigest}`,
        {},
        `config blob of ${referenceName(reference)}`,
        signal,
      );
    } catch (error) {
      if (error instanceof RegistryError && error.kind === 'not-found') return undefined;
      throw error;
    }
    let created: string | undefined;
    try {
      const config = JSON.parse(res.body.toString('utf8')) as { created?: unknown };
      if (typeof config.created === 'string') created = config.created;
    } catch {
      throw new RegistryError('malformed', `malformed image config from ${reference.registry}`, {
        host: reference.apiHost,
      });
    }
    this.cache.setDigest(key, created ? { created } : {});
    return created;
  }

  private async tagDigestOrUndefined(
    reference: NormalizedReference,
    tag: string,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    try {
      return await this.tagDigest(reference, tag, signal);
    } catch (error) {
      if (error instanceof RegistryError && error.kind === 'not-found') return undefined;
      throw error;
    }
  }

  /** tag → digest by HEAD (cached with TTL); falls back to GET + sha256 when the header is missing. */
  private async tagDigest(reference: NormalizedReference, tag: string, signal?: AbortSignal): Promise<string> {
    const key = `${referenceName(reference)}:${tag}`;
    const cached = this.cache.getTag(key);
    if (cached) return cached;
    const path = `/v2/${reference.repository}/manifests/${tag}`;
    const head = await this.call(reference, 'HEAD', path, { Accept: MANIFEST_ACCEPT }, key, signal);
    let digest = header(head, 'docker-content-digest');
    if (!digest) {
      const res = await this.call(reference, 'GET', path, { Accept: MANIFEST_ACCEPT }, key, signal);
      digest = header(res, 'docker-content-digest') ?? sha256Digest(res.body);
      this.storeManifest(reference, digest, res);
    }
    if (!isDigest(digest)) {
      throw new RegistryError(
        'malformed',
        `malformed digest "${String(digest).slice(0, 80)}" from ${reference.registry}`,
        {
          host: reference.apiHost,
        },
      );
    }
    this.cache.setTag(key, digest);
    return digest;
  }

  /** Manifest by digest (cached forever); the body must hash to the digest. */
  private async manifest(
    reference: NormalizedReference,
    digest: string,
    signal?: AbortSignal,
  ): Promise<ManifestSummary> {
    if (!isDigest(digest))
      throw new RegistryError('malformed', `malformed digest "${String(digest).slice(0, 80)}"`, {
        host: reference.apiHost,
      });
    const key = `${referenceName(reference)}@${digest}`;
    const cached = this.cache.getDigest<ManifestSummary>(key);
    if (cached) return cached;
    const res = await this.call(
      reference,
      'GET',
      `/v2/${reference.repository}/manifests/${digest}`,
      { Accept: MANIFEST_ACCEPT },
      key,
      signal,
    );
    return this.storeManifest(reference, digest, res);
  }

  private storeManifest(reference: NormalizedReference, digest: string, res: HttpResponse): ManifestSummary {
    const where = `${reference.registry}`;
    if (!contentMatchesDigest(res.body, digest)) {
      throw new RegistryError('malformed', `malformed manifest from ${where}: content does not match ${digest}`, {
        host: reference.apiHost,
      });
    }
    const summary = parseManifest(res.body, header(res, 'content-type'), where);
    this.cache.setDigest(`${referenceName(reference)}@${digest}`, summary);
    return summary;
  }

  /** One registry API call with authentication; resolves only with a 2xx response. */
  private async call(
    reference: NormalizedReference,
    method: 'GET' | 'HEAD',
    path: string,
    headers: Record<string, string>,
    what: string,
    signal?: AbortSignal,
  ): Promise<HttpResponse> {
    throwIfAborted(signal);
    const target = { registry: reference.registry, apiHost: reference.apiHost };
    const scope = `repository:${reference.repository}:pull`;
    let authorization = await this.auth.headerFor(target, scope, signal);
    for (let round = 0; ; round++) {
      const res = await this.send(
        reference.apiHost,
        method,
        path,
        authorization ? { ...headers, Authorization: authorization } : headers,
        signal,
      );
      if (res.status >= 200 && res.status < 300) return res;
      if (res.status === 401 && res.url.host !== reference.apiHost) {
        // Challenges are taken from the registry's own host only: another host's realm would
        // receive the registry's credentials.
        throw new RegistryError(
          'unauthorized',
          `401 from ${res.url.host}, where ${reference.registry} redirected: no credentials are sent to another host`,
          { host: res.url.host, status: 401 },
        );
      }
      if (res.status === 401 && round < 2) {
        const next = await this.auth.respond(target, scope, header(res, 'www-authenticate'), authorization, signal);
        if (next) {
          authorization = next;
          continue;
        }
      }
      if (res.status === 401 && authorization && (await this.credentials.get(reference.registry, signal))) {
        throw new RegistryError(
          'unauthorized',
          `401 from ${reference.registry}: credentials rejected; log in again with docker login ${reference.registry}`,
          {
            host: reference.apiHost,
            status: 401,
          },
        );
      }
      throw statusError(res.status, reference.registry, what, errorCode(res), retryAfter(res));
    }
  }

  /** HTTPS first; plain HTTP only for loopback / insecure hosts whose port does not speak TLS. */
  private async send(
    apiHost: string,
    method: 'GET' | 'HEAD',
    path: string,
    headers: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<HttpResponse> {
    const known = this.schemes.get(apiHost);
    const request = (scheme: string): Promise<HttpResponse> =>
      this.http.request({
        method,
        url: new URL(`${scheme}//${apiHost}${path}`),
        headers,
        ...(signal ? { signal } : {}),
      });
    if (known) return request(known);
    try {
      const res = await request('https:');
      this.schemes.set(apiHost, 'https:');
      return res;
    } catch (error) {
      const fallback =
        error instanceof RegistryError &&
        plainHttpAllowed(apiHost, this.insecure) &&
        (error.notTls || (error.kind === 'unreachable' && !splitHost(apiHost).port && !/TLS/.test(error.message)));
      if (!fallback) throw error;
      const res = await request('http:');
      this.schemes.set(apiHost, 'http:');
      return res;
    }
  }
}

/** Where messages point users: the registry's own settings. */
const REGISTRY_LABELS = {
  service: 'registry',
  insecureSetting: 'registry.insecure',
  caSetting: 'registry.caFile',
};

/** A repository's tag list is cut after this many tags… */
export const MAX_LISTED_TAGS = 20_000;
/** …or this many bytes over all its pages… */
export const MAX_LIST_BYTES = 8 * 1024 * 1024;
/** …or this many pages. */
const MAX_LIST_PAGES = 100;

function errorCode(res: HttpResponse): string | undefined {
  if (res.body.length === 0) return undefined;
  try {
    const body = JSON.parse(res.body.toString('utf8')) as { errors?: Array<{ code?: unknown }> };
    const code = body.errors?.[0]?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

function retryAfter(res: HttpResponse): number | undefined {
  return parseRetryAfter(header(res, 'retry-after'));
}

/** Path of the `rel="next"` page of a `Link` header, when it stays on the same origin. */
export function nextPage(link: string | undefined, current: URL): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (!m || !/\brel\s*=\s*"?next"?/i.test(m[2] ?? '')) continue;
    let url: URL;
    try {
      url = new URL(m[1] ?? '', current);
    } catch {
      return undefined;
    }
    return url.origin === current.origin ? url.pathname + url.search : undefined;
  }
  return undefined;
}

function parseImageConfig(body: Buffer, registry: string): Omit<ImageConfig, 'manifestDigest'> {
  let json: {
    os?: unknown;
    architecture?: unknown;
    variant?: unknown;
    history?: Array<{ created_by?: unknown }>;
    config?: { Labels?: Record<string, unknown> | null; Env?: unknown[] | null };
  };
  try {
    json = JSON.parse(body.toString('utf8')) as typeof json;
  } catch {
    throw new RegistryError('malformed', `malformed image config from ${registry}: not JSON`);
  }
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  const platform = [text(json.os), text(json.architecture), text(json.variant)].filter(Boolean).join('/');
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(json.config?.Labels ?? {})) if (typeof v === 'string') labels[k] = v;
  return {
    platform,
    history: (Array.isArray(json.history) ? json.history : []).map((h) => text(h?.created_by)),
    labels,
    env: (Array.isArray(json.config?.Env) ? json.config.Env : []).filter((e): e is string => typeof e === 'string'),
  };
}
