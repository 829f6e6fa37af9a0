/** What DriftGuard reads of a suite's `Release` / `InRelease` file. */
export interface ReleaseFile {
  /** `Date:` as written; with the suite it keys the cache of the suite's indices. */
  date: string;
  suite?: string;
  codename?: string;
  architectures: string[];
  components: string[];
  /** `SHA256:` entries by path relative to the suite (`main/binary-amd64/Packages.xz`). */
  sha256: Map<string, { hash: string; size: number }>;
}

/**
 * Parses a Release file, or the cleartext-signed InRelease (the signed text is read with its
 * dash-escaping removed; the signature itself is not verified here). Throws on a file without
 * a SHA256 list: nothing in the suite could be checked.
 */
export function parseRelease(text: string): ReleaseFile {
  const body = signedText(text);
  const fields = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of body.split('\n')) {
    const trimmed = line.replace(/\r$/, '');
    if (trimmed === '') continue;
    if (/^[ \t]/.test(trimmed)) {
      current?.push(trimmed.trim());
      continue;
    }
    const colon = trimmed.indexOf(':');
    if (colon <= 0) continue;
    current = [];
    const value = trimmed.slice(colon + 1).trim();
    if (value) current.push(value);
    fields.set(trimmed.slice(0, colon).toLowerCase(), current);
  }
  const one = (name: string): string | undefined => fields.get(name)?.[0];
  const words = (name: string): string[] => (one(name) ?? '').split(/\s+/).filter(Boolean);
  const sha256 = new Map<string, { hash: string; size: number }>();
  for (const entry of fields.get('sha256') ?? []) {
    const m = /^([0-9a-f]{64})\s+(\d+)\s+(\S+)$/i.exec(entry);
    if (m) sha256.set(m[3]!, { hash: m[1]!.toLowerCase(), size: Number(m[2]) });
  }
  if (sha256.size === 0) throw new Error('Release file without a SHA256 list');
  const release: ReleaseFile = {
    date: one('date') ?? '',
    architectures: words('architectures'),
    components: words('components'),
    sha256,
  };
  const suite = one('suite');
  const codename = one('codename');
  if (suite) release.suite = suite;
  if (codename) release.codename = codename;
  return release;
}

/** The signed part of an OpenPGP cleartext-signed message (RFC 4880 §7), or the text itself. */
function signedText(text: string): string {
  const begin = text.indexOf('-----BEGIN PGP SIGNED MESSAGE-----');
  if (begin < 0) return text;
  const headersEnd = text.indexOf('\n\n', begin);
  const crlfEnd = text.indexOf('\r\n\r\n', begin);
  const start = headersEnd >= 0 ? headersEnd + 2 : crlfEnd >= 0 ? crlfEnd + 4 : text.length;
  const signature = text.indexOf('\n-----BEGIN PGP SIGNATURE-----', start);
  const body = text.slice(start, signature >= 0 ? signature : text.length);
  return body
    .split('\n')
    .map((line) => (line.startsWith('- ') ? line.slice(2) : line))
    .join('\n');
}
