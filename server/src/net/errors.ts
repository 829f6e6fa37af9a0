/**
 * What went wrong talking to a server. Hosts map kinds to UI: `unauthorized` suggests logging in,
 * `unreachable`/`timeout` suggest checking the network or proxy, `cancelled` is silent.
 */
export type NetworkErrorKind =
  | 'unreachable'
  | 'unauthorized'
  | 'not-found'
  | 'rate-limited'
  | 'server'
  | 'timeout'
  | 'cancelled'
  | 'malformed'
  | 'insecure-refused';

/** Extra facts attached to a {@link NetworkError}. */
export interface NetworkErrorDetails {
  /** Host (with port) the failing request went to. */
  host?: string;
  /** HTTP status, when the server answered. */
  status?: number;
  /** For `rate-limited`: how long the server asked us to wait. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * The only error type the network clients throw. `message` is user-facing and short, e.g.
 * "401 from ghcr.io: log in with docker login" or "registry unreachable: ECONNREFUSED 127.0.0.1:5999";
 * it never holds a URL's user name or password.
 */
export class NetworkError extends Error {
  readonly kind: NetworkErrorKind;
  readonly host?: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
  /** Internal: the TLS handshake failed because the server speaks plain HTTP. */
  notTls = false;

  constructor(kind: NetworkErrorKind, message: string, details: NetworkErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'NetworkError';
    this.kind = kind;
    if (details.host !== undefined) this.host = details.host;
    if (details.status !== undefined) this.status = details.status;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }
}

export function cancelledError(): NetworkError {
  return new NetworkError('cancelled', 'request cancelled');
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}
