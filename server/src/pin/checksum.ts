import { createHash } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { plainHttpAllowed } from '../registry/hostPolicy';

/** Largest download hashed for `--checksum` (bytes). */
export const MAX_CHECKSUM_BYTES = 512 * 1024 * 1024;

export interface ChecksumOptions {
  timeoutMs?: number;
  /** Hosts allowed over plain HTTP besides loopback (`driftguard.registry.insecure`). */
  insecure?: readonly string[];
  signal?: AbortSignal;
  maxBytes?: number;
}

/**
 * Downloads a URL (following up to 5 redirects, HTTPS only except loopback and `insecure` hosts)
 * and returns `sha256:<hex>` of the body, streaming, without keeping it. Used for `ADD --checksum`.
 */
export function sha256OfUrl(url: string, options: ChecksumOptions = {}, redirects = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      reject(new Error(`not a URL: ${url}`));
      return;
    }
    if (parsed.protocol === 'http:' && !plainHttpAllowed(parsed.host, options.insecure ?? [])) {
      reject(
        new Error(`refusing plain HTTP to ${parsed.host}: a checksum of content fetched without TLS proves nothing`),
      );
      return;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      reject(new Error(`unsupported scheme ${parsed.protocol}`));
      return;
    }
    const get = parsed.protocol === 'https:' ? https.get : http.get;
    const request = get(
      parsed,
      { timeout: options.timeoutMs ?? 30_000, ...(options.signal ? { signal: options.signal } : {}) },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 300 && status < 400 && response.headers.location) {
          response.resume();
          if (redirects >= 5) {
            reject(new Error(`too many redirects from ${url}`));
            return;
          }
          sha256OfUrl(new URL(response.headers.location, parsed).toString(), options, redirects + 1).then(
            resolve,
            reject,
          );
          return;
        }
        if (status !== 200) {
          response.resume();
          reject(new Error(`${status} from ${parsed.host} for ${parsed.pathname}`));
          return;
        }
        const hash = createHash('sha256');
        let size = 0;
        const max = options.maxBytes ?? MAX_CHECKSUM_BYTES;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > max) {
            response.removeAllListeners('data');
            response.destroy();
            reject(new Error(`download larger than ${max} bytes`));
            return;
          }
          hash.update(chunk);
        });
        response.on('end', () => {
          if (size <= max) resolve(`sha256:${hash.digest('hex')}`);
        });
        response.on('error', (error) => {
          if (size <= max) reject(error);
        });
      },
    );
    request.on('timeout', () =>
      request.destroy(new Error(`no answer from ${parsed.host} within ${options.timeoutMs ?? 30_000} ms`)),
    );
    request.on('error', (error) => reject(error.name === 'AbortError' ? new Error('cancelled') : error));
  });
}
