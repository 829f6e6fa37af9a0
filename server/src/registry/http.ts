import * as http from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';
import { isIP } from 'node:net';
import { readFileSync } from 'node:fs';
import { RegistryError, cancelledError } from './errors';
import { plainHttpAllowed } from './hostPolicy';
import { openTunnel, proxyAuthorization, proxyFor } from './proxy';
import { Semaphore } from './semaphore';

/** Transport settings; every field has a safe default. */
export interface HttpOptions {
  /** Per attempt, from connect to the last body byte. Default 10 000. */
  timeoutMs?: number;
  /** Extra attempts after a 429/5xx answer. Default 3. */
  retries?: number;
  /** First backoff delay when no Retry-After is given; doubles per attempt. Default 200. */
  retryBaseMs?: number;
  /** A Retry-After longer than this is not waited for: the 429/5xx is returned at once. Default 5 000. */
  maxRetryAfterMs?: number;
  /** Requests in flight per host. Default 4. */
  maxPerHost?: number;
  /** Hosts (`host` or `host:port`) that may be reached over plain HTTP besides loopback. */
  insecure?: string[];
  /** PEM file with extra CA certificates, trusted in addition to Node's bundled roots. */
  caFile?: string;
  /** Explicit proxy URL (`http://user:pass@proxy:3128`); default from HTTPS_PROXY/HTTP_PROXY. */
  proxy?: string;
  /** Overrides NO_PROXY. */
  noProxy?: string;
  env?: NodeJS.ProcessEnv;
  /** Bodies larger than this fail as `malformed`. Default 8 MiB. */
  maxBodyBytes?: number;
}

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST';
  url: URL;
  headers?: Record<string, string>;
  /** Request body (POST). A POST is never redirected: its answer, redirect or not, is returned. */
  body?: Buffer;
  signal?: AbortSignal;
  /** Overrides the client's `maxBodyBytes` for this request's answer. */
  maxBodyBytes?: number;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** URL that produced this response, after redirects. */
  url: URL;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;
const CERT_ERRORS = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ALTNAME/;
const NOT_TLS_ERRORS =
  /wrong[ _]version[ _]number|packet[ _]length[ _]too[ _]long|http[ _]request|unknown[ _]protocol|record[ _]layer/i;

/** First value of a response header. */
export function header(res: { headers: http.IncomingHttpHeaders }, name: string): string | undefined {
  const value = res.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Retry-After as delta-seconds or HTTP-date, in ms; undefined when absent or unparsable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * GET/HEAD with the registry's network rules: HTTPS unless the host is loopback or listed as
 * insecure, per-host concurrency limit, per-attempt timeout, bounded retries on 429/5xx honouring
 * Retry-After, manual redirects that drop Authorization when the host changes, proxy and CA.
 */
export class HttpClient {
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryBaseMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly maxPerHost: number;
  private readonly maxBodyBytes: number;
  private readonly insecure: string[];
  private readonly env: NodeJS.ProcessEnv;
  private readonly hosts = new Map<string, Semaphore>();
  private ca: string[] | undefined;
  private httpAgent = new http.Agent({ keepAlive: true });
  private httpsAgent: https.Agent | undefined;

  constructor(private readonly options: HttpOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retries = options.retries ?? 3;
    this.retryBaseMs = options.retryBaseMs ?? 200;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 5_000;
    this.maxPerHost = options.maxPerHost ?? 4;
    this.maxBodyBytes = options.maxBodyBytes ?? 8 * 1024 * 1024;
    this.insecure = options.insecure ?? [];
    this.env = options.env ?? process.env;
  }

  /** Follows redirects (at most 5) and returns the final response, whatever its status. */
  async request(req: HttpRequest): Promise<HttpResponse> {
    let url = req.url;
    const headers = { ...(req.headers ?? {}) };
    for (let hop = 0; ; hop++) {
      this.checkPolicy(url);
      const res = await this.withRetries(req, url, headers);
      const location = header(res, 'location');
      if (!REDIRECTS.has(res.status) || !location || req.method === 'POST') return res;
      if (hop >= MAX_REDIRECTS)
        throw new RegistryError('server', `too many redirects from ${req.url.host}`, {
          host: req.url.host,
          status: res.status,
        });
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new RegistryError('malformed', `bad redirect from ${url.host}: ${location}`, { host: url.host });
      }
      if (next.host !== url.host || next.protocol !== url.protocol) {
        for (const name of Object.keys(headers)) if (name.toLowerCase() === 'authorization') delete headers[name];
      }
      url = next;
    }
  }

  /** Number of requests currently in flight to `host` (for tests and diagnostics). */
  inFlight(host: string): number {
    return this.hosts.get(host)?.inFlight ?? 0;
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent?.destroy();
  }

  private checkPolicy(url: URL): void {
    if (url.protocol === 'https:') return;
    if (url.protocol !== 'http:')
      throw new RegistryError('insecure-refused', `refusing ${url.protocol} URL ${url.href}`, { host: url.host });
    if (!plainHttpAllowed(url.host, this.insecure)) {
      throw new RegistryError(
        'insecure-refused',
        `refusing plain HTTP to ${url.host}: add it to registry.insecure to allow`,
        { host: url.host },
      );
    }
  }

  private semaphore(host: string): Semaphore {
    let s = this.hosts.get(host);
    if (!s) this.hosts.set(host, (s = new Semaphore(this.maxPerHost)));
    return s;
  }

  private async withRetries(req: HttpRequest, url: URL, headers: Record<string, string>): Promise<HttpResponse> {
    const signal = req.signal;
    for (let attempt = 0; ; attempt++) {
      const release = await this.semaphore(url.host).acquire(signal);
      let res: HttpResponse;
      try {
        res = await this.attempt(req, url, headers);
      } finally {
        release();
      }
      const retryable = res.status === 429 || (res.status >= 500 && res.status !== 501 && res.status !== 505);
      if (!retryable || attempt >= this.retries) return res;
      const retryAfter = parseRetryAfter(header(res, 'retry-after'));
      if (retryAfter !== undefined && retryAfter > this.maxRetryAfterMs) return res;
      await sleep(retryAfter ?? this.retryBaseMs * 2 ** attempt, signal);
    }
  }

  private async attempt(req: HttpRequest, url: URL, headers: Record<string, string>): Promise<HttpResponse> {
    const signal = req.signal;
    if (signal?.aborted) throw cancelledError();
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.send(req, url, headers, controller.signal);
    } catch (error) {
      if (timedOut) {
        throw new RegistryError(
          'timeout',
          `registry timeout: no answer from ${url.host} within ${this.timeoutMs / 1000} s`,
          { host: url.host, cause: error },
        );
      }
      if (signal?.aborted) throw cancelledError();
      throw this.mapError(error, url);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private async send(
    req: HttpRequest,
    url: URL,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<HttpResponse> {
    const { method, body } = req;
    const maxBodyBytes = req.maxBodyBytes ?? this.maxBodyBytes;
    if (body) headers = { ...headers, 'Content-Length': String(body.length) };
    const secure = url.protocol === 'https:';
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    const port = url.port || (secure ? '443' : '80');
    const proxy = proxyFor(url, {
      ...(this.options.proxy ? { proxy: this.options.proxy } : {}),
      ...(this.options.noProxy !== undefined ? { noProxy: this.options.noProxy } : {}),
      env: this.env,
    });
    const options: https.RequestOptions = {
      method,
      host: hostname,
      port,
      path: url.pathname + url.search,
      headers: { ...headers },
      signal,
    };
    let request: http.ClientRequest;
    if (secure) {
      const servername = isIP(hostname) ? undefined : hostname;
      const ca = this.caList();
      if (proxy) {
        const socket = await openTunnel(proxy, hostname, port, signal);
        options.agent = undefined;
        options.createConnection = () =>
          tls.connect({ socket, ...(servername ? { servername } : {}), ...(ca ? { ca } : {}) });
      } else {
        options.agent = this.secureAgent();
        if (servername) options.servername = servername;
      }
      request = https.request(options);
    } else {
      if (proxy) {
        options.host = proxy.hostname;
        options.port = proxy.port || '80';
        options.path = url.href;
        const auth = proxyAuthorization(proxy);
        options.headers = { ...headers, Host: url.host, ...(auth ? { 'Proxy-Authorization': auth } : {}) };
      }
      options.agent = this.httpAgent;
      request = http.request(options);
    }
    return new Promise<HttpResponse>((resolve, reject) => {
      request.once('error', reject);
      request.once('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBodyBytes) {
            res.destroy();
            reject(
              new RegistryError('malformed', `response from ${url.host} larger than ${maxBodyBytes} bytes`, {
                host: url.host,
              }),
            );
            return;
          }
          chunks.push(chunk);
        });
        res.once('error', reject);
        res.once('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), url }),
        );
      });
      request.end(body);
    });
  }

  private caList(): string[] | undefined {
    if (!this.options.caFile) return undefined;
    if (!this.ca) {
      try {
        this.ca = [...tls.rootCertificates, readFileSync(this.options.caFile, 'utf8')];
      } catch (error) {
        throw new RegistryError(
          'unreachable',
          `cannot read registry.caFile ${this.options.caFile}: ` +
            `${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
          { cause: error },
        );
      }
    }
    return this.ca;
  }

  private secureAgent(): https.Agent {
    if (!this.httpsAgent) {
      const ca = this.caList();
      this.httpsAgent = new https.Agent({ keepAlive: true, ...(ca ? { ca } : {}) });
    }
    return this.httpsAgent;
  }

  private mapError(error: unknown, url: URL): RegistryError {
    if (error instanceof RegistryError) return error;
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const message = (error as Error).message ?? String(error);
    const host = url.port ? url.host : `${url.host}:${url.protocol === 'https:' ? 443 : 80}`;
    if (url.protocol === 'https:' && NOT_TLS_ERRORS.test(`${code} ${message}`)) {
      const e = new RegistryError(
        'insecure-refused',
        `${url.host} does not speak HTTPS; add it to registry.insecure to allow plain HTTP`,
        { host: url.host, cause: error },
      );
      e.notTls = true;
      return e;
    }
    if (CERT_ERRORS.test(code)) {
      return new RegistryError(
        'unreachable',
        `registry unreachable: TLS certificate of ${url.host} not trusted (${code}); set registry.caFile`,
        { host: url.host, cause: error },
      );
    }
    return new RegistryError('unreachable', `registry unreachable: ${code || message} ${host}`, {
      host: url.host,
      cause: error,
    });
  }
}
