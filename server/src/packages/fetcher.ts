import { HttpClient, HttpResponse } from '../net/http';
import { NetworkError as RegistryError } from '../net/errors';

/** Network settings of the package index clients; hosts fill them from the user's settings only. */
export interface FetcherOptions {
  /** Per request attempt (connect to last byte). Indices are large: at least 60 s is used for them. */
  timeoutMs?: number;
  /** Hosts allowed over plain HTTP besides loopback. */
  insecure?: string[];
  caFile?: string;
  proxy?: string;
  env?: NodeJS.ProcessEnv;
  retries?: number;
  retryBaseMs?: number;
}

/** Largest compressed index downloaded (Ubuntu universe's Packages.gz is about 20 MB). */
export const MAX_INDEX_BYTES = 64 * 1024 * 1024;
/** Largest answer for one package (a PyPI page, an npm packument, a gem's compact index). */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

/**
 * GETs for package indices with the registry client's network rules (HTTPS unless loopback or
 * `insecure`, proxy, CA, redirects without credentials, retries on 429/5xx, size caps). Sends no
 * credentials at all: package archives and indices are read anonymously.
 */
export class Fetcher {
  private readonly small: HttpClient;
  private readonly large: HttpClient;

  constructor(options: FetcherOptions = {}) {
    const common = {
      ...(options.insecure ? { insecure: options.insecure } : {}),
      ...(options.caFile ? { caFile: options.caFile } : {}),
      ...(options.proxy ? { proxy: options.proxy } : {}),
      ...(options.env ? { env: options.env } : {}),
      ...(options.retries !== undefined ? { retries: options.retries } : {}),
      ...(options.retryBaseMs !== undefined ? { retryBaseMs: options.retryBaseMs } : {}),
    };
    const timeoutMs = options.timeoutMs ?? 10_000;
    this.small = new HttpClient({ ...common, timeoutMs, maxBodyBytes: MAX_DOCUMENT_BYTES });
    this.large = new HttpClient({ ...common, timeoutMs: Math.max(timeoutMs, 60_000), maxBodyBytes: MAX_INDEX_BYTES });
  }

  /** A 2xx answer for `url`, or a RegistryError whose message names the host and what was asked. */
  async get(
    url: string,
    what: string,
    options: { accept?: string; large?: boolean; signal?: AbortSignal } = {},
  ): Promise<HttpResponse> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new RegistryError('malformed', `not a URL: ${url}`);
    }
    const client = options.large ? this.large : this.small;
    const res = await client.request({
      method: 'GET',
      url: parsed,
      headers: options.accept ? { Accept: options.accept } : {},
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (res.status >= 200 && res.status < 300) return res;
    const host = res.url.host;
    if (res.status === 404 || res.status === 410)
      throw new RegistryError('not-found', `${what} not found on ${host}`, { host, status: res.status });
    if (res.status === 401 || res.status === 403)
      throw new RegistryError('unauthorized', `${res.status} from ${host} for ${what}`, { host, status: res.status });
    if (res.status === 429)
      throw new RegistryError('rate-limited', `429 from ${host}: rate limited`, { host, status: res.status });
    throw new RegistryError('server', `${res.status} from ${host} for ${what}`, { host, status: res.status });
  }

  close(): void {
    this.small.close();
    this.large.close();
  }
}

/** `base` + `path` with exactly one slash between them. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
