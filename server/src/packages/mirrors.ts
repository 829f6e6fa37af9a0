/**
 * Where package versions are read from. Defaults are the official archives and registries; the
 * user (never a repository: CLI `--mirror KEY=URL`, the user-scope `driftguard.packages.mirrors`
 * setting) may point any key elsewhere, e.g. a corporate proxy or an offline mirror.
 */
export const DEFAULT_MIRRORS = {
  debian: 'https://deb.debian.org/debian',
  'debian-security': 'https://deb.debian.org/debian-security',
  ubuntu: 'https://archive.ubuntu.com/ubuntu',
  'ubuntu-security': 'https://security.ubuntu.com/ubuntu',
  /** Ubuntu for architectures other than amd64 and i386 (arm64, armhf, ppc64el, s390x, riscv64). */
  'ubuntu-ports': 'https://ports.ubuntu.com/ubuntu-ports',
  alpine: 'https://dl-cdn.alpinelinux.org/alpine',
  pypi: 'https://pypi.org/simple',
  npm: 'https://registry.npmjs.org',
  rubygems: 'https://rubygems.org',
} as const;

export type MirrorKey = keyof typeof DEFAULT_MIRRORS;
export type Mirrors = Record<MirrorKey, string>;

export const MIRROR_KEYS = Object.keys(DEFAULT_MIRRORS) as MirrorKey[];

export function isMirrorKey(key: string): key is MirrorKey {
  return (MIRROR_KEYS as string[]).includes(key);
}

/** Defaults with the user's overrides; throws with a message naming a bad key or URL. */
export function mirrorsFrom(overrides: Readonly<Record<string, string>> = {}): Mirrors {
  const mirrors: Mirrors = { ...DEFAULT_MIRRORS };
  for (const [key, value] of Object.entries(overrides)) {
    if (!isMirrorKey(key)) throw new Error(`unknown mirror key ${key} (one of ${MIRROR_KEYS.join(', ')})`);
    mirrors[key] = checkedMirrorUrl(key, value);
  }
  return mirrors;
}

/** Parses `KEY=URL` as the CLI takes it. */
export function parseMirrorOption(text: string): [MirrorKey, string] {
  const eq = text.indexOf('=');
  const key = eq > 0 ? text.slice(0, eq) : '';
  if (!isMirrorKey(key))
    throw new Error(`--mirror takes KEY=URL with KEY one of ${MIRROR_KEYS.join(', ')} (got ${text})`);
  return [key, checkedMirrorUrl(key, text.slice(eq + 1))];
}

function checkedMirrorUrl(key: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`mirror ${key}: not a URL: ${value}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error(`mirror ${key}: only http and https URLs are read (got ${url.protocol})`);
  return url.href.replace(/\/+$/, '');
}

/** Whether `key` points somewhere other than its official default (fix titles then name the host). */
export function isCustomMirror(mirrors: Mirrors, key: MirrorKey): boolean {
  return mirrors[key] !== DEFAULT_MIRRORS[key];
}

/** Host of a URL, without credentials, for messages. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
