import { NetworkError, cancelledError } from './errors';

/** An abort signal that fires after `ms` or when `parent` aborts; `expired` tells which it was. */
export interface TimedAbort {
  signal: AbortSignal;
  expired(): boolean;
  /** Stops the timer and lets go of `parent`. */
  dispose(): void;
}

/**
 * The longest timeout a timer can keep: Node fires a setTimeout above 2^31 - 1 ms at once, so a
 * larger value would make every request time out immediately instead of waiting longer.
 */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** A usable request timeout: more than 0 and at most MAX_TIMEOUT_MS milliseconds. */
export function isTimeout(ms: unknown): ms is number {
  return typeof ms === 'number' && ms > 0 && ms <= MAX_TIMEOUT_MS;
}

export function timedAbort(ms: number, parent: AbortSignal | undefined): TimedAbort {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort();
  }, ms);
  const onAbort = (): void => controller.abort();
  parent?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    expired: () => expired,
    dispose: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * Runs `work` with one overall deadline: however many requests, pages, retries and waits it
 * makes, it is aborted after `ms` and fails as `timeout` ("<what> took longer than N s"). An abort
 * of `signal` still fails as `cancelled`.
 */
export async function withDeadline<T>(
  ms: number,
  what: string,
  signal: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (signal?.aborted) throw cancelledError();
  const deadline = timedAbort(ms, signal);
  try {
    return await work(deadline.signal);
  } catch (error) {
    if (deadline.expired() && !signal?.aborted)
      throw new NetworkError('timeout', `${what} took longer than ${formatSeconds(ms)}`, { cause: error });
    throw error;
  } finally {
    deadline.dispose();
  }
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
