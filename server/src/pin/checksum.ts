import { createHash } from 'node:crypto';
import { withDeadline } from '../net/deadline';
import { NetworkError } from '../net/errors';
import { HttpClient } from '../net/http';
import { redactUrl } from '../net/redact';

/** Largest download hashed for `--checksum` (bytes). */
export const MAX_CHECKSUM_BYTES = 512 * 1024 * 1024;
/** Default overall deadline of one download. */
export const CHECKSUM_DEADLINE_MS = 120_000;

export interface ChecksumOptions {
  /** The whole download (connection, redirects, every byte) ends after this. Default 120 s. */
  deadlineMs?: number;
  /** Hosts allowed over plain HTTP besides loopback (the user's `registry.insecure`). */
  insecure?: readonly string[];
  caFile?: string;
  proxy?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  maxBytes?: number;
}

/**
 * Downloads a URL through the hardened HTTP client (HTTPS only except loopback and `insecure`
 * hosts, redirects included; no credentials) and returns `sha256:<hex>` of the body, streaming,
 * without keeping it. Used for `ADD --checksum`.
 */
export async function sha256OfUrl(url: string, options: ChecksumOptions = {}): Promise<string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`not a URL: ${redactUrl(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new Error(`unsupported scheme ${parsed.protocol}`);
  const deadlineMs = options.deadlineMs ?? CHECKSUM_DEADLINE_MS;
  const client = new HttpClient({
    timeoutMs: deadlineMs,
    retries: 1,
    maxBodyBytes: options.maxBytes ?? MAX_CHECKSUM_BYTES,
    labels: {
      service: 'download',
      insecureSetting: 'registry.insecure (a checksum of content fetched without TLS proves nothing)',
      caSetting: 'registry.caFile',
    },
    ...(options.insecure ? { insecure: options.insecure } : {}),
    ...(options.caFile ? { caFile: options.caFile } : {}),
    ...(options.proxy ? { proxy: options.proxy } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  try {
    return await withDeadline(deadlineMs, `download of ${redactUrl(parsed)}`, options.signal, async (signal) => {
      const hash = createHash('sha256');
      const res = await client.request({ method: 'GET', url: parsed, signal, onBody: (chunk) => hash.update(chunk) });
      if (res.status !== 200) throw new Error(`${res.status} from ${res.url.host} for ${res.url.pathname}`);
      return `sha256:${hash.digest('hex')}`;
    });
  } catch (error) {
    if (error instanceof NetworkError && error.kind === 'cancelled') throw new Error('cancelled', { cause: error });
    throw error;
  } finally {
    client.close();
  }
}
