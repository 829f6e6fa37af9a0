import { NetworkError, type NetworkErrorKind } from '../net/errors';

/**
 * Registry errors are the network layer's errors (one class, so `instanceof` holds across clients);
 * the names stay for the registry client's callers.
 */
export { NetworkError as RegistryError, cancelledError, throwIfAborted } from '../net/errors';
export type { NetworkErrorDetails as RegistryErrorDetails } from '../net/errors';
export type RegistryErrorKind = NetworkErrorKind;

/** Turns an HTTP status that is not success into an error with a user-facing message. */
export function statusError(
  status: number,
  registry: string,
  what: string,
  detail?: string,
  retryAfterMs?: number,
): NetworkError {
  const host = registry;
  if (status === 401)
    return new NetworkError('unauthorized', `401 from ${registry}: log in with docker login`, { host, status });
  if (status === 403)
    return new NetworkError('unauthorized', `403 from ${registry}: access to ${what} denied; check docker login`, {
      host,
      status,
    });
  if (status === 404)
    return new NetworkError('not-found', `${what} not found on ${registry}${detail ? ` (${detail})` : ''}`, {
      host,
      status,
    });
  if (status === 429) {
    const wait = retryAfterMs !== undefined ? `, retry after ${Math.ceil(retryAfterMs / 1000)} s` : '';
    return new NetworkError(
      'rate-limited',
      `429 from ${registry}: rate limited${wait}`,
      retryAfterMs === undefined ? { host, status } : { host, status, retryAfterMs },
    );
  }
  return new NetworkError('server', `${status} from ${registry}${detail ? `: ${detail}` : ': unexpected answer'}`, {
    host,
    status,
  });
}
