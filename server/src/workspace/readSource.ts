import { readRegularFile, readRegularFileSync, type BytesRead } from './safeRead';

/** Default largest file analysed; larger files are skipped with a reason. */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

export type ReadResult = { text: string } | { skipped: string };

/**
 * Reads a file for analysis, or says why it is skipped: not a regular file (a FIFO or device is
 * never waited on), too large (checked before reading, so a huge file is never loaded), binary
 * (NUL bytes), or not valid UTF-8. A UTF-8 BOM is dropped.
 */
export async function readSource(filePath: string, maxBytes = DEFAULT_MAX_FILE_BYTES): Promise<ReadResult> {
  return decoded(await readRegularFile(filePath, { maxBytes }));
}

/**
 * `readSource` without yielding, for batch hosts (the CLI): reading a few thousand small files this
 * way takes a fifth of the time of overlapping asynchronous reads.
 */
export function readSourceSync(filePath: string, maxBytes = DEFAULT_MAX_FILE_BYTES): ReadResult {
  return decoded(readRegularFileSync(filePath, { maxBytes }));
}

function decoded(read: BytesRead): ReadResult {
  return 'skipped' in read ? read : decodeSource(read.bytes);
}

export function decodeSource(bytes: Uint8Array): ReadResult {
  if (bytes.includes(0)) return { skipped: 'binary file (contains NUL bytes)' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { skipped: 'not valid UTF-8' };
  }
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}
