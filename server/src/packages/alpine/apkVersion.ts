/**
 * Alpine package version ordering (apk-tools `apk_version_compare`, simplified to the forms the
 * repositories use): dotted numbers, an optional letter, `_alpha|_beta|_pre|_rc` (before the
 * release), `_cvs|_svn|_git|_hg|_p` (after it), each with an optional number, then `-rN`.
 */
export function compareApkVersions(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  const n = Math.max(x.numbers.length, y.numbers.length);
  for (let i = 0; i < n; i++) {
    const d = (x.numbers[i] ?? -1) - (y.numbers[i] ?? -1);
    if (d) return Math.sign(d);
  }
  if (x.letter !== y.letter) return x.letter < y.letter ? -1 : 1;
  const m = Math.max(x.suffixes.length, y.suffixes.length);
  for (let i = 0; i < m; i++) {
    const sx = x.suffixes[i] ?? [0, 0];
    const sy = y.suffixes[i] ?? [0, 0];
    if (sx[0] !== sy[0]) return Math.sign(sx[0] - sy[0]);
    if (sx[1] !== sy[1]) return Math.sign(sx[1] - sy[1]);
  }
  return Math.sign(x.revision - y.revision);
}

/** Suffix weights: pre-release suffixes below 0 (no suffix), post-release ones above. */
const SUFFIX: Record<string, number> = { alpha: -4, beta: -3, pre: -2, rc: -1, cvs: 1, svn: 2, git: 3, hg: 4, p: 5 };

function parse(version: string): {
  numbers: number[];
  letter: string;
  suffixes: Array<[number, number]>;
  revision: number;
} {
  const m = /^(.*?)(?:-r(\d+))?$/.exec(version)!;
  const main = m[1]!;
  const revision = Number(m[2] ?? 0);
  const [head = '', ...rest] = main.split('_');
  const dotted = /^([\d.]*\d)?([a-z]?)/.exec(head)!;
  const numbers = (dotted[1] ?? '').split('.').filter(Boolean).map(Number);
  const suffixes: Array<[number, number]> = rest.map((s) => {
    const sm = /^([a-z]+)(\d*)$/.exec(s);
    return [SUFFIX[sm?.[1] ?? ''] ?? 0, Number(sm?.[2] || 0)];
  });
  return { numbers, letter: dotted[2] ?? '', suffixes, revision };
}

/** The version without its `-rN` package release: what a fuzzy `name~version` pin names. */
export function withoutRelease(version: string): string {
  return version.replace(/-r\d+$/, '');
}
