import * as http from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';
import { isIP } from 'node:net';
import { readFileSync } from 'node:fs';
import { errorCode } from '../errno';
import { NetworkError, cancelledError } from './errors';
import { formatSeconds, timedAbort } from './deadline';
import { plainHttpAllowed } from './hostPolicy';
import { openTunnel, proxyAuthorization, proxyFor } from './proxy';
import { redactText, redactUrl } from './redact';
import { Semaphore } from './semaphore';

/** Transport settings; every field has a safe default. Hosts fill them from the user's settings only. */
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
  insecure?: readonly string[];
  /** PEM file with extra CA certificates, trusted in addition to Node's bundled roots. */
  caFile?: string;
  /** Explicit proxy URL (`http://user:pass@proxy:3128`); default from HTTPS_PROXY/HTTP_PROXY. */
  proxy?: string;
  /** Overrides NO_PROXY. */
  noProxy?: string;
  env?: NodeJS.ProcessEnv;
  /** Bodies larger than this fail as `malformed`. Default 8 MiB. */
  maxBodyBytes?: number;
  /** Names the service and its settings in messages ("registry unreachable: …; set registry.caFile"). */
  labels?: Partial<HttpLabels>;
}

/** Words of user-facing messages, so each client speaks of its own service and settings. */
export interface HttpLabels {
  /** `registry`, `download`, `GitHub`… */
  service: string;
  /** Where plain-HTTP hosts are allowed (`registry.insecure`). */
  insecureSetting: string;
  /** Where extra CAs are set (`registry.caFile`). */
  caSetting: string;
}

const DEFAULT_LABELS: HttpLabels = {
  service: 'server',
  insecureSetting: 'the insecure hosts setting',
  caSetting: 'the CA file setting',
};

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST';
  url: URL;
  headers?: Record<string, string>;
  /** Request body (POST). A POST is never redirected: its answer, redirect or not, is returned. */
  body?: Buffer;
  signal?: AbortSignal;
  /** Streams the body of a 2xx answer to this function instead of keeping it (`body` is then empty). */
  onBody?: (chunk: Buffer) => void;
  /** Overrides the client's body cap for this request. */
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
/** Headers that carry credentials: never sent on to another origin. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);
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
 * GET/HEAD/POST with DriftGuard's network rules, for every client (registries, downloads, git and
 * package indices): HTTPS unless the host is loopback or listed as insecure (redirects included),
 * per-host concurrency limit, per-attempt timeout covering the whole body, a cap on body bytes,
 * bounded retries on 429/5xx honouring Retry-After, manual redirects (at most 5) that drop every
 * credential header as soon as the origin changes, proxy and CA. Callers bound a whole lookup with
 * `withDeadline` (deadline.ts). Every failure is a {@link NetworkError}.
 */
export class HttpClient {
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryBaseMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly maxPerHost: number;
  private readonly maxBodyBytes: number;
  private readonly insecure: readonly string[];
  private readonly env: NodeJS.ProcessEnv;
  private readonly labels: HttpLabels;
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
    this.labels = { ...DEFAULT_LABELS, ...options.labels };
  }

  /** Follows redirects of GET/HEAD (at most 5) and returns the final response, whatever its status. */
  async request(req: HttpRequest): Promise<HttpResponse> {
    let url = req.url;
    const headers = { ...(req.headers ?? {}) };
    for (let hop = 0; ; hop++) {
      this.checkPolicy(url);
      const res = await this.withRetries(req, url, headers);
      const location = header(res, 'location');
      if (!REDIRECTS.has(res.status) || !location || req.method === 'POST') return res;
      if (hop >= MAX_REDIRECTS)
        throw new NetworkError('server', `too many redirects from ${req.url.host}`, {
          host: req.url.host,
          status: res.status,
        });
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new NetworkError('malformed', `bad redirect from ${url.host}: ${redactUrl(location)}`, {
          host: url.host,
        });
      }
      if (next.origin !== url.origin) {
        for (const name of Object.keys(headers)) if (CREDENTIAL_HEADERS.has(name.toLowerCase())) delete headers[name];
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
      throw new NetworkError('insecure-refused', `refusing ${url.protocol} URL ${redactUrl(url)}`, { host: url.host });
    if (!plainHttpAllowed(url.host, this.insecure)) {
      throw new NetworkError(
        'insecure-refused',
        `refusing plain HTTP to ${url.host}: add it to ${this.labels.insecureSetting} to allow`,
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
    for (let attempt = 0; ; attempt++) {
      const release = await this.semaphore(url.host).acquire(req.signal);
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
      await sleep(retryAfter ?? this.retryBaseMs * 2 ** attempt, req.signal);
    }
  }

  private async attempt(req: HttpRequest, url: URL, headers: Record<string, string>): Promise<HttpResponse> {
    const signal = req.signal;
    if (signal?.aborted) throw cancelledError();
    const attempt = timedAbort(this.timeoutMs, signal);
    try {
      return await this.send(req, url, headers, attempt.signal);
    } catch (error) {
      if (attempt.expired()) {
        throw new NetworkError(
          'timeout',
          `${this.labels.service} timeout: no answer from ${url.host} within ${formatSeconds(this.timeoutMs)}`,
          { host: url.host, cause: error },
        );
      }
      if (signal?.aborted) throw cancelledError();
      throw this.mapError(error, url);
    } finally {
      attempt.dispose();
    }
  }

  private async send(
    req: HttpRequest,
    url: URL,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<HttpResponse> {
    if (req.body) headers = { ...headers, 'Content-Length': String(req.body.length) };
    const secure = url.protocol === 'https:';
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    const port = url.port || (secure ? '443' : '80');
    const proxy = proxyFor(url, {
      ...(this.options.proxy ? { proxy: this.options.proxy } : {}),
      ...(this.options.noProxy !== undefined ? { noProxy: this.options.noProxy } : {}),
      env: this.env,
    });
    const options: https.RequestOptions = {
      method: req.method,
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
    const max = req.maxBodyBytes ?? this.maxBodyBytes;
    return new Promise<HttpResponse>((resolve, reject) => {
      request.once('error', reject);
      request.once('response', (res) => {
        const status = res.statusCode ?? 0;
        const sink = req.onBody && status >= 200 && status < 300 ? req.onBody : undefined;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > max) {
            res.destroy();
            reject(
              new NetworkError('malformed', `response from ${url.host} larger than ${max} bytes`, { host: url.host }),
            );
            return;
          }
          if (sink) sink(chunk);
          else chunks.push(chunk);
        });
        res.once('error', reject);
        res.once('end', () => resolve({ status, headers: res.headers, body: Buffer.concat(chunks), url }));
      });
      request.end(req.body);
    });
  }

  private caList(): string[] | undefined {
    if (!this.options.caFile) return undefined;
    if (!this.ca) {
      try {
        this.ca = [...tls.rootCertificates, readFileSync(this.options.caFile, 'utf8')];
      } catch (error) {
        throw new NetworkError(
          'unreachable',
          `cannot read ${this.labels.caSetting} ${this.options.caFile}: ${errorCode(error)}`,
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

  private mapError(error: unknown, url: URL): NetworkError {
    if (error instanceof NetworkError) return error;
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const message = (error as Error).message ?? String(error);
    const host = url.port ? url.host : `${url.host}:${url.protocol === 'https:' ? 443 : 80}`;
    const service = this.labels.service;
    if (url.protocol === 'https:' && NOT_TLS_ERRORS.test(`${code} ${message}`)) {
      const e = new NetworkError(
        'insecure-refused',
        `${url.host} does not speak HTTPS; add it to ${this.labels.insecureSetting} to allow plain HTTP`,
        { host: url.host, cause: error },
      );
      e.notTls = true;
      return e;
    }
    if (CERT_ERRORS.test(code)) {
      return new NetworkError(
        'unreachable',
        `${service} unreachable: TLS certificate of ${url.host} not trusted (${code}); set ${this.labels.caSetting}`,
        { host: url.host, cause: error },
      );
    }
    return new NetworkError('unreachable', `${service} unreachable: ${code || redactText(message)} ${host}`, {
      host: url.host,
      cause: error,
    });
  }
}
