/**
 * What went wrong talking to a registry. Hosts map kinds to UI: `unauthorized` suggests
 * `docker login`, `unreachable`/`timeout` suggest checking the network or proxy, `cancelled`
 * is silent.
 */
export type RegistryErrorKind =
  | 'unreachable'
  | 'unauthorized'
  | 'not-found'
  | 'rate-limited'
  | 'server'
  | 'timeout'
  | 'cancelled'
  | 'malformed'
  | 'insecure-refused';

/** Extra facts attached to a {@link RegistryError}. */
export interface RegistryErrorDetails {
  /** Host (with port) the failing request went to. */
  host?: string;
  /** HTTP status, when the registry answered. */
  status?: number;
  /** For `rate-limited`: how long the registry asked us to wait. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * The only error type the registry client throws. `message` is user-facing and short, e.g.
 * "401 from ghcr.io: log in with docker login" or "registry unreachable: ECONNREFUSED 127.0.0.1:5999".
 */
export class RegistryError extends Error {
  readonly kind: RegistryErrorKind;
  readonly host?: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
  /** Internal: the TLS handshake failed because the server speaks plain HTTP. */
  notTls = false;

  constructor(kind: RegistryErrorKind, message: string, details: RegistryErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'RegistryError';
    this.kind = kind;
    if (details.host !== undefined) this.host = details.host;
    if (details.status !== undefined) this.status = details.status;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }
}

export function cancelledError(): RegistryError {
  return new RegistryError('cancelled', 'registry request cancelled');
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}

/** Turns an HTTP status that is not success into an error with a user-facing message. */
export function statusError(
  status: number,
  registry: string,
  what: string,
  detail?: string,
  retryAfterMs?: number,
): RegistryError {
  const host = registry;
  if (status === 401)
    return new RegistryError('unauthorized', `401 from ${registry}: log in with docker login`, { host, status });
  if (status === 403)
    return new RegistryError('unauthorized', `403 from ${registry}: access to ${what} denied; check docker login`, {
      host,
      status,
    });
  if (status === 404)
    return new RegistryError('not-found', `${what} not found on ${registry}${detail ? ` (${detail})` : ''}`, {
      host,
      status,
    });
  if (status === 429) {
    const wait = retryAfterMs !== undefined ? `, retry after ${Math.ceil(retryAfterMs / 1000)} s` : '';
    return new RegistryError(
      'rate-limited',
      `429 from ${registry}: rate limited${wait}`,
      retryAfterMs === undefined ? { host, status } : { host, status, retryAfterMs },
    );
  }
  return new RegistryError('server', `${status} from ${registry}${detail ? `: ${detail}` : ': unexpected answer'}`, {
    host,
    status,
  });
}
