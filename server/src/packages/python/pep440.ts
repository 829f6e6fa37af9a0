/** A PEP 440 version, parsed into the parts that order it. */
export interface Pep440Version {
  text: string;
  epoch: number;
  release: number[];
  pre?: [number, number];
  post?: number;
  dev?: number;
  local?: string;
}

const PATTERN = new RegExp(
  [
    '^\\s*v?(?:(\\d+)!)?(\\d+(?:\\.\\d+)*)', // epoch, release
    '(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\\d+)?)?', // pre-release
    '(?:-(\\d+)|[-_.]?(post|rev|r)[-_.]?(\\d+)?)?', // post-release
    '(?:[-_.]?(dev)[-_.]?(\\d+)?)?', // development release
    '(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\\s*$', // local version
  ].join(''),
  'i',
);

const PRE: Record<string, number> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 };

export function parsePep440(text: string): Pep440Version | undefined {
  const m = PATTERN.exec(text);
  if (!m) return undefined;
  const version: Pep440Version = { text, epoch: Number(m[1] ?? 0), release: m[2]!.split('.').map(Number) };
  if (m[3]) version.pre = [PRE[m[3].toLowerCase()]!, Number(m[4] ?? 0)];
  if (m[5] !== undefined) version.post = Number(m[5]);
  else if (m[6]) version.post = Number(m[7] ?? 0);
  if (m[8]) version.dev = Number(m[9] ?? 0);
  if (m[10]) version.local = m[10].toLowerCase();
  return version;
}

/** A final release in pip's sense: no pre-release and no dev part (post-releases count). */
export function isFinal(version: Pep440Version): boolean {
  return version.pre === undefined && version.dev === undefined;
}

export function comparePep440(a: Pep440Version, b: Pep440Version): number {
  if (a.epoch !== b.epoch) return Math.sign(a.epoch - b.epoch);
  const n = Math.max(a.release.length, b.release.length);
  for (let i = 0; i < n; i++) {
    const d = (a.release[i] ?? 0) - (b.release[i] ?? 0);
    if (d) return Math.sign(d);
  }
  // dev without pre/post sorts before any pre-release of the same release; pre before final.
  const preKey = (v: Pep440Version): number[] =>
    v.pre ? [v.pre[0], v.pre[1]] : v.dev !== undefined && v.post === undefined ? [-1, 0] : [3, 0];
  const byPre = compareArrays(preKey(a), preKey(b));
  if (byPre) return byPre;
  const byPost = (a.post ?? -1) - (b.post ?? -1);
  if (byPost) return Math.sign(byPost);
  const byDev = (a.dev ?? Infinity) - (b.dev ?? Infinity);
  if (byDev && Number.isFinite(byDev)) return Math.sign(byDev);
  if (a.dev === undefined && b.dev !== undefined) return 1;
  if (a.dev !== undefined && b.dev === undefined) return -1;
  if ((a.local ?? '') !== (b.local ?? ''))
    return a.local === undefined ? -1 : b.local === undefined ? 1 : a.local < b.local ? -1 : 1;
  return 0;
}

function compareArrays(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d) return Math.sign(d);
  }
  return 0;
}

/** PEP 503 normalised project name: runs of `-`, `_`, `.` become one `-`, lower case. */
export function normalizeProjectName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}
