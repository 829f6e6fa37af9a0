import { createHash } from 'node:crypto';
import { createGunzip } from 'node:zlib';

/** Largest decompressed index read (Debian main's Packages is about 100 MB): a bomb stops here. */
export const MAX_DECOMPRESSED_BYTES = 768 * 1024 * 1024;

export type Compression = 'gz' | 'xz' | 'none';

/**
 * Decompresses `body` as a stream, handing text chunks to `onText` in order and hashing the
 * decompressed bytes; the whole text is never held. Resolves with the SHA-256 (hex) and size of
 * the decompressed bytes. Throws when they exceed `maxBytes` or the data is corrupt.
 */
export async function streamText(
  body: Buffer,
  compression: Compression,
  onText: (text: string) => void,
  maxBytes = MAX_DECOMPRESSED_BYTES,
): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  const decoder = new TextDecoder('utf-8');
  let size = 0;
  const take = (chunk: Uint8Array): void => {
    size += chunk.length;
    if (size > maxBytes) throw new Error(`decompressed index larger than ${maxBytes} bytes`);
    hash.update(chunk);
    onText(decoder.decode(chunk, { stream: true }));
  };
  if (compression === 'none') take(body);
  else if (compression === 'gz') await gunzipInto(body, take);
  // Loaded when a first xz index is unpacked: web streams and the xz decoder took 6–40 ms (measured here
  // under load) of every start of the language server, the CLI and each scan worker, which most never unpack.
  else await (await import('./unxz.js')).unxzInto(body, take);
  onText(decoder.decode());
  return { sha256: hash.digest('hex'), size };
}

function gunzipInto(body: Buffer, take: (chunk: Uint8Array) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const gunzip = createGunzip();
    gunzip.on('data', (chunk: Buffer) => {
      try {
        take(chunk);
      } catch (error) {
        gunzip.destroy();
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    gunzip.once('error', (error) => reject(new Error(`corrupt gzip data: ${error.message}`, { cause: error })));
    gunzip.once('end', resolve);
    gunzip.end(body);
  });
}
