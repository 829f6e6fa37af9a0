import { RegistryError, statusError } from './errors';
import type { DockerCredentials, RegistryCredentials } from './credentials';
import { isLoopbackHost } from '../net/hostPolicy';
import type { HttpClient } from '../net/http';

/** One challenge of a `WWW-Authenticate` header; param names are lower-cased. */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** The registry a request is for: display name (credential key) and API host. */
export interface AuthTarget {
  registry: string;
  apiHost: string;
}

/**
 * Parses `WWW-Authenticate` (RFC 7235): several challenges, quoted strings with escapes,
 * `Bearer realm="…",service="…",scope="…"`, `Basic realm="…"`.
 */
export function parseWwwAuthenticate(value: string): Challenge[] {
  const challenges: Challenge[] = [];
  let i = 0;
  const n = value.length;
  const skip = (chars: RegExp): void => {
    while (i < n && chars.test(value[i] as string)) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < n && /[!#$%&'*+\-.^_`|~0-9A-Za-z/]/.test(value[i] as string)) i++;
    return value.slice(start, i);
  };
  let current: Challenge | undefined;
  while (i < n) {
    skip(/[\s,]/);
    if (i >= n) break;
    const start = i;
    const word = token();
    if (!word) {
      i++;
      continue;
    }
    skip(/\s/);
    if (value[i] === '=' && current && value[i + 1] !== '=') {
      i++;
      skip(/\s/);
      let param = '';
      if (value[i] === '"') {
        i++;
        while (i < n && value[i] !== '"') {
          if (value[i] === '\\' && i + 1 < n) i++;
          param += value[i];
          i++;
        }
        i++;
      } else {
        const from = i;
        while (i < n && !/[\s,]/.test(value[i] as string)) i++;
        param = value.slice(from, i);
      }
      current.params[word.toLowerCase()] = param;
    } else if (value[i] === '=' && current) {
      // token68 (e.g. `Negotiate abc==`): keep as an opaque param
      while (i < n && value[i] === '=') i++;
      current.params.token68 = value.slice(start, i);
    } else {
      current = { scheme: word.toLowerCase(), params: {} };
      challenges.push(current);
    }
  }
  return challenges;
}

interface CachedToken {
  header: string;
  expiresAt: number;
}

function basicHeader(credentials: RegistryCredentials): string {
  return 'Basic ' + Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
}

/**
 * Answers registry challenges: Basic with the registry's own credentials, Bearer through the
 * token service named by the challenge (anonymous, or with Basic credentials of that registry).
 * Remembers each host's challenge so later requests authenticate without a 401 round trip,
 * and caches tokens per host and scope until they expire.
 */
export class Authenticator {
  private readonly challenges = new Map<string, Challenge>();
  private readonly tokens = new Map<string, CachedToken>();

  constructor(
    private readonly http: HttpClient,
    private readonly credentials: DockerCredentials,
    private readonly now: () => number = Date.now,
  ) {}

  /** Authorization header to send up front, when this host's challenge is already known. */
  async headerFor(target: AuthTarget, scope: string, signal?: AbortSignal): Promise<string | undefined> {
    const challenge = this.challenges.get(target.apiHost);
    if (!challenge) return undefined;
    return this.answer(target, challenge, scope, undefined, signal);
  }

  /**
   * Called on a 401: returns a header worth retrying with, or undefined when there is nothing
   * new to try (no credentials, or the same header was just rejected).
   */
  async respond(
    target: AuthTarget,
    scope: string,
    wwwAuthenticate: string | undefined,
    sent: string | undefined,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const all = parseWwwAuthenticate(wwwAuthenticate ?? '');
    const challenge = all.find((c) => c.scheme === 'bearer') ?? all.find((c) => c.scheme === 'basic');
    if (!challenge) return undefined;
    this.challenges.set(target.apiHost, challenge);
    const next = await this.answer(target, challenge, challenge.params.scope || scope, sent, signal);
    return next && next !== sent ? next : undefined;
  }

  /** `scope` is the challenge's own scope on a 401, the request's scope when authenticating up front. */
  private async answer(
    target: AuthTarget,
    challenge: Challenge,
    scope: string,
    rejected: string | undefined,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    if (challenge.scheme === 'basic') {
      const credentials = await this.credentials.get(target.registry, signal);
      return credentials ? basicHeader(credentials) : undefined;
    }
    if (challenge.scheme !== 'bearer') return undefined;
    const key = `${target.apiHost}|${challenge.params.realm}|${challenge.params.service ?? ''}|${scope}`;
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > this.now() && cached.header !== rejected) return cached.header;
    const token = await this.fetchToken(target, challenge, scope, signal);
    this.tokens.set(key, token);
    return token.header;
  }

  private async fetchToken(
    target: AuthTarget,
    challenge: Challenge,
    scope: string,
    signal?: AbortSignal,
  ): Promise<CachedToken> {
    let realm: URL;
    try {
      realm = new URL(challenge.params.realm ?? '');
    } catch {
      throw new RegistryError(
        'malformed',
        `bad token realm from ${target.registry}: "${challenge.params.realm ?? ''}"`,
        { host: target.apiHost },
      );
    }
    if (challenge.params.service) realm.searchParams.set('service', challenge.params.service);
    for (const s of scope.split(' ').filter(Boolean)) realm.searchParams.append('scope', s);
    const headers: Record<string, string> = {};
    const credentials = await this.credentials.get(target.registry, signal);
    // Credentials of a registry go to the token service its own challenge names, and only over
    // HTTPS (or to the registry's own host / loopback).
    const mayCarry = realm.protocol === 'https:' || realm.host === target.apiHost || isLoopbackHost(realm.hostname);
    if (credentials && mayCarry) {
      headers.Authorization = basicHeader(credentials);
      realm.searchParams.set('account', credentials.username);
    }
    const res = await this.http.request({ method: 'GET', url: realm, headers, ...(signal ? { signal } : {}) });
    if (res.status === 401 || res.status === 403) {
      const why = headers.Authorization
        ? `credentials rejected by token service ${realm.host}; log in again with docker login`
        : 'log in with docker login';
      throw new RegistryError('unauthorized', `${res.status} from ${target.registry}: ${why}`, {
        host: realm.host,
        status: res.status,
      });
    }
    if (res.status < 200 || res.status >= 300) throw statusError(res.status, realm.host, 'token', undefined);
    let body: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(res.body.toString('utf8')) as typeof body;
    } catch {
      throw new RegistryError('malformed', `malformed token response from ${realm.host}`, { host: realm.host });
    }
    const token =
      typeof body.token === 'string' && body.token
        ? body.token
        : typeof body.access_token === 'string'
          ? body.access_token
          : '';
    if (!token)
      throw new RegistryError('malformed', `token response from ${realm.host} has no token`, { host: realm.host });
    const lifetime = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60;
    return { header: `Bearer ${token}`, expiresAt: this.now() + Math.max(lifetime - 10, 5) * 1000 };
  }
}
