import { HttpClient, header, type HttpOptions, type HttpResponse } from '../net/http';
import { NetworkError } from '../net/errors';
import { withDeadline } from '../net/deadline';
import { isLoopbackHost } from '../net/hostPolicy';
import { DELIM_PKT, FLUSH_PKT, PktLine, PktLineError, parsePktLines, pktLine, pktText } from './pktLine';
import { RefListing, parseLsRefs, parseV0Advertisement } from './refs';

/** Settings of a {@link GitRefsClient}; every field but the server has a safe default. */
export interface GitRefsClientOptions {
  /**
   * The git server (`https://github.com`, a GitHub Enterprise URL). Chosen by the user only (CLI
   * environment, user-scope editor setting), never by a repository: the token goes to it.
   * HTTPS, or plain HTTP to a loopback host.
   */
  serverUrl: string;
  /** Sent (as git does, only after the server answers 401) to `serverUrl`'s origin and nowhere else. */
  token?: string;
  /** Per request attempt. Default 10 000 ms. */
  timeoutMs?: number;
  /** One lookup (discovery and listing, retries included) ends after this. Default 30 000 ms. */
  deadlineMs?: number;
  /** Answers larger than this fail. Default 8 MiB. */
  maxBytes?: number;
  /** Listings with more branches and tags than this fail. Default 50 000. */
  maxRefs?: number;
  /** Proxy, CA file and environment for the transport. */
  http?: Pick<HttpOptions, 'caFile' | 'proxy' | 'noProxy' | 'env' | 'retries' | 'retryBaseMs'>;
}

const REPOSITORY = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;
const ADVERTISEMENT = 'application/x-git-upload-pack-advertisement';
const RESULT = 'application/x-git-upload-pack-result';
const USER_AGENT = 'git/2 (driftguard)';

/**
 * Lists the branches and tags of repositories over git's smart-HTTP protocol: version 2 `ls-refs`
 * with `peel` and `symrefs` (what `git ls-remote` sends), falling back to a v0 advertisement when
 * the server does not speak v2. Two requests per repository, no API quota, nothing cloned. Every
 * failure is a {@link NetworkError} whose message names the git server.
 */
export class GitRefsClient {
  private readonly server: URL;
  private readonly http: HttpClient;
  private readonly deadlineMs: number;
  private readonly maxBytes: number;
  private readonly maxRefs: number;

  constructor(private readonly options: GitRefsClientOptions) {
    this.server = checkServerUrl(options.serverUrl);
    this.deadlineMs = options.deadlineMs ?? 30_000;
    this.maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
    this.maxRefs = options.maxRefs ?? 50_000;
    this.http = new HttpClient({
      ...options.http,
      timeoutMs: options.timeoutMs ?? 10_000,
      maxBodyBytes: this.maxBytes,
      insecure: [],
      labels: { service: 'git server', caSetting: 'the CA file setting' },
    });
  }

  /** The server's origin, for messages (`github.com`). */
  get host(): string {
    return this.server.host;
  }

  /** Branches, tags (annotated ones peeled) and HEAD of `owner/repo`. */
  async listRefs(repository: string, signal?: AbortSignal): Promise<RefListing> {
    if (!REPOSITORY.test(repository) || repository.split('/').some((part) => part === '.' || part === '..'))
      throw new NetworkError('malformed', `“${repository}” is not an owner/repository name`);
    try {
      return await withDeadline(this.deadlineMs, `git server ${this.host}: listing ${repository}`, signal, (deadline) =>
        this.list(repository, deadline),
      );
    } catch (error) {
      throw this.describe(error, repository);
    }
  }

  close(): void {
    this.http.close();
  }

  private async list(repository: string, signal: AbortSignal): Promise<RefListing> {
    const base = new URL(`${this.server.href.replace(/\/$/, '')}/${repository}.git/`);
    const auth = { useToken: false };
    const discovery = await this.send(repository, signal, auth, {
      method: 'GET',
      url: new URL('info/refs?service=git-upload-pack', base),
      accept: ADVERTISEMENT,
    });
    let lines = parsePktLines(discovery.body);
    // Smart servers may open with `# service=git-upload-pack` and a flush (v0 always, v2 some).
    if (pktText(lines[0] ?? { type: 'flush' })?.startsWith('# service=')) {
      if (lines[1]?.type !== 'flush') throw new PktLineError('service line not followed by a flush packet');
      lines = lines.slice(2);
    }
    if (pktText(lines[0] ?? { type: 'flush' }) !== 'version 2') return parseV0Advertisement(lines, this.maxRefs);
    const capabilities = readCapabilities(lines.slice(1));
    if (!capabilities.has('ls-refs'))
      throw new PktLineError('the server speaks protocol v2 but offers no ls-refs command');
    // The POST goes where discovery ended up (git does the same after a redirect).
    if (!discovery.url.pathname.endsWith('/info/refs'))
      throw new PktLineError(`discovery was redirected to ${discovery.url.pathname}, not a repository`);
    const listingUrl = new URL('../git-upload-pack', discovery.url);
    const format = capabilities.get('object-format');
    const request =
      pktLine('command=ls-refs\n') +
      (capabilities.has('agent') ? pktLine(`agent=${USER_AGENT.split(' ')[0]}\n`) : '') +
      (format ? pktLine(`object-format=${format}\n`) : '') +
      DELIM_PKT +
      pktLine('peel\n') +
      pktLine('symrefs\n') +
      pktLine('ref-prefix HEAD\n') +
      pktLine('ref-prefix refs/heads/\n') +
      pktLine('ref-prefix refs/tags/\n') +
      FLUSH_PKT;
    const answer = await this.send(repository, signal, auth, {
      method: 'POST',
      url: listingUrl,
      accept: RESULT,
      body: Buffer.from(request, 'utf8'),
    });
    return parseLsRefs(parsePktLines(answer.body), this.maxRefs);
  }

  /**
   * One request. A 401 from the configured server is answered once with the token, as git does;
   * `auth.useToken` then stays set, so the listing request of the same lookup carries it at once.
   */
  private async send(
    repository: string,
    signal: AbortSignal,
    auth: { useToken: boolean },
    request: { method: 'GET' | 'POST'; url: URL; accept: string; body?: Buffer },
  ): Promise<HttpResponse> {
    const headers: Record<string, string> = {
      'Git-Protocol': 'version=2',
      'User-Agent': USER_AGENT,
      Accept: request.accept,
      ...(request.body ? { 'Content-Type': 'application/x-git-upload-pack-request' } : {}),
    };
    const http = (extra: Record<string, string> = {}) =>
      this.http.request({
        method: request.method,
        url: request.url,
        headers: { ...headers, ...extra },
        signal,
        ...(request.body ? { body: request.body } : {}),
      });
    const token = this.options.token;
    const sameServer = request.url.origin === this.server.origin;
    let res = await http(auth.useToken && token && sameServer ? { Authorization: basicToken(token) } : {});
    if (res.status === 401 && token && !auth.useToken && res.url.origin === this.server.origin) {
      auth.useToken = true;
      res = await http({ Authorization: basicToken(token) });
    }
    if (res.status !== 200) throw statusFailure(res, repository, this.host, auth.useToken, !!token);
    const type = (header(res, 'content-type') ?? '').split(';')[0]!.trim();
    if (type !== request.accept)
      throw new NetworkError(
        'malformed',
        `git server ${this.host}: ${repository} answered ${type || 'no content type'}, not git's smart protocol`,
        { host: this.host },
      );
    return res;
  }

  private describe(error: unknown, repository: string): NetworkError {
    if (error instanceof PktLineError)
      return new NetworkError('malformed', `git server ${this.host}: bad answer for ${repository}: ${error.message}`, {
        host: this.host,
      });
    if (error instanceof NetworkError) return error;
    return new NetworkError('unreachable', `git server ${this.host}: ${(error as Error).message ?? String(error)}`, {
      host: this.host,
    });
  }
}

/** The server URL the user configured, refused unless HTTPS or loopback HTTP, without credentials. */
export function checkServerUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new NetworkError('malformed', `the GitHub server URL “${value}” is not a URL`);
  }
  if (url.username || url.password || url.search || url.hash)
    throw new NetworkError('malformed', 'the GitHub server URL must not carry credentials, a query or a fragment');
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) return url;
  throw new NetworkError(
    'insecure-refused',
    `refusing ${url.protocol}//${url.host}: the GitHub server must be reached over HTTPS (plain HTTP only on loopback)`,
    { host: url.host },
  );
}

function basicToken(token: string): string {
  // GitHub accepts any user name with a token as the password; `x-access-token` is what Actions uses.
  return `Basic ${Buffer.from(`x-access-token:${token}`, 'utf8').toString('base64')}`;
}

function readCapabilities(lines: readonly PktLine[]): Map<string, string> {
  const capabilities = new Map<string, string>();
  for (const line of lines) {
    if (line.type === 'flush') return capabilities;
    const text = pktText(line);
    if (text === undefined) throw new PktLineError(`unexpected ${line.type} packet in capabilities`);
    const eq = text.indexOf('=');
    capabilities.set(eq < 0 ? text : text.slice(0, eq), eq < 0 ? '' : text.slice(eq + 1));
  }
  throw new PktLineError('capability advertisement ends without a flush packet');
}

function statusFailure(
  res: HttpResponse,
  repository: string,
  host: string,
  authenticated: boolean,
  hasToken: boolean,
): NetworkError {
  const status = res.status;
  if (status === 401 || status === 403 || status === 404) {
    // GitHub answers 401 to anonymous requests for private and missing repositories alike.
    const hint = authenticated
      ? 'the token in GITHUB_TOKEN/GH_TOKEN has no access to it'
      : hasToken
        ? 'the token is not sent there'
        : 'if it is private, set GITHUB_TOKEN or GH_TOKEN';
    const kind = status === 404 ? 'not-found' : 'unauthorized';
    return new NetworkError(kind, `git server ${host}: ${repository} not found or not accessible (${hint})`, {
      host,
      status,
    });
  }
  if (status === 429)
    return new NetworkError('rate-limited', `git server ${host}: 429 rate limited for ${repository}`, {
      host,
      status,
    });
  if (status >= 300 && status < 400)
    return new NetworkError('server', `git server ${host}: ${status} redirect for ${repository} not followed`, {
      host,
      status,
    });
  return new NetworkError('server', `git server ${host}: ${status} for ${repository}`, { host, status });
}
