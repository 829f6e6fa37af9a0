import { gunzipSync } from 'node:zlib';
import { compareApkVersions } from './apkVersion';

/** Newest version of each package in one repository for one architecture. */
export type ApkVersions = Map<string, { version: string; source: string }>;

/** Largest decompressed APKINDEX read (Alpine community's is about 10 MB). */
const MAX_APKINDEX_BYTES = 256 * 1024 * 1024;

/**
 * Reads an `APKINDEX.tar.gz` as the repositories serve it: a gzip stream of the signature's tar
 * segment followed by a gzip stream of a tar holding `DESCRIPTION` and `APKINDEX`. Keeps, for each
 * package (`P:`), the highest version (`V:`) built for `architecture` or `noarch` (`A:`).
 */
export function parseApkIndexArchive(archive: Buffer, architecture: string, source: string): ApkVersions {
  let tar: Buffer;
  try {
    tar = gunzipSync(archive, { maxOutputLength: MAX_APKINDEX_BYTES });
  } catch (error) {
    throw new Error(`not a gzip archive: ${(error as Error).message}`, { cause: error });
  }
  const index = tarEntry(tar, 'APKINDEX');
  if (index === undefined) throw new Error('no APKINDEX in the archive');
  return parseApkIndex(index.toString('utf8'), architecture, source);
}

export function parseApkIndex(text: string, architecture: string, source: string): ApkVersions {
  const versions: ApkVersions = new Map();
  for (const record of text.split(/\n\s*\n/)) {
    let name: string | undefined;
    let version: string | undefined;
    let arch: string | undefined;
    for (const line of record.split('\n')) {
      if (line.startsWith('P:')) name = line.slice(2).trim();
      else if (line.startsWith('V:')) version = line.slice(2).trim();
      else if (line.startsWith('A:')) arch = line.slice(2).trim();
    }
    if (!name || !version || (arch !== undefined && arch !== architecture && arch !== 'noarch')) continue;
    const known = versions.get(name);
    if (!known || compareApkVersions(version, known.version) > 0) versions.set(name, { version, source });
  }
  return versions;
}

/** The content of the regular file `name` in a (possibly concatenated) ustar archive. */
function tarEntry(tar: Buffer, name: string): Buffer | undefined {
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) {
      offset += 512;
      continue;
    }
    const entryName = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(header.subarray(124, 136).toString('ascii').replace(/[\0 ]/g, '') || '0', 8);
    if (!Number.isFinite(size) || size < 0) return undefined;
    const type = String.fromCharCode(header[156] ?? 48);
    const start = offset + 512;
    if (entryName === name && (type === '0' || type === '\0')) return tar.subarray(start, start + size);
    offset = start + Math.ceil(size / 512) * 512;
  }
  return undefined;
}
