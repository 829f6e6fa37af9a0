import type { ParsedImage } from '../model/imageRef';

/** The package archive an image's `apt-get`/`apk` installs from. */
export type Distribution =
  | { family: 'debian'; codename: string }
  | { family: 'ubuntu'; codename: string }
  /** `branch` is `v3.20` or `edge`. */
  | { family: 'alpine'; branch: string };

/** What DriftGuard reads of an image's config blob. */
export interface ImageConfigFacts {
  /** `os/arch[/variant]` the config describes. */
  platform: string;
  /** `created_by` of each history entry, oldest first. */
  history: string[];
  labels: Record<string, string>;
  env: string[];
}

export function describeDistribution(d: Distribution): string {
  if (d.family === 'alpine') return `Alpine ${d.branch}`;
  return `${d.family === 'debian' ? 'Debian' : 'Ubuntu'} ${d.codename}`;
}

/** The short name fix titles use: `bookworm`, `noble`, `Alpine v3.20`. */
export function shortDistribution(d: Distribution): string {
  return d.family === 'alpine' ? `Alpine ${d.branch}` : d.codename;
}

const DEBIAN_VERSIONS: Record<string, string> = {
  '10': 'buster',
  '11': 'bullseye',
  '12': 'bookworm',
  '13': 'trixie',
  '14': 'forky',
  '15': 'duke',
};
const DEBIAN_CODENAMES = new Set([...Object.values(DEBIAN_VERSIONS), 'sid']);
/** Debian suite names that are not codenames; they move, but they are suites on every mirror. */
const DEBIAN_SUITES = new Set(['stable', 'oldstable', 'testing', 'unstable']);
const UBUNTU_VERSIONS: Record<string, string> = {
  '18.04': 'bionic',
  '20.04': 'focal',
  '22.04': 'jammy',
  '23.10': 'mantic',
  '24.04': 'noble',
  '24.10': 'oracular',
  '25.04': 'plucky',
  '25.10': 'questing',
  '26.04': 'resolute',
};
const UBUNTU_CODENAMES = new Set(Object.values(UBUNTU_VERSIONS));

/**
 * The distribution a tag names: `debian:bookworm-slim`, `debian:12`, `ubuntu:24.04`, `ubuntu:noble-20240801`,
 * `alpine:3.20`, and codenames inside other images' tags (`python:3.12-slim-bookworm`,
 * `node:20-alpine3.20`). Undefined for tags that move between releases (`latest`, `alpine:3`) or say nothing.
 */
export function distributionFromTag(image: ParsedImage): Distribution | undefined {
  const tag = image.tag;
  if (!tag) return undefined;
  const repo = image.repository.split('/').pop()!;
  const parts = tag.toLowerCase().split(/[-_]/);
  if (repo === 'debian') {
    const first = parts[0]!;
    const major = /^(\d+)(?:\.\d+)*$/.exec(first)?.[1];
    if (major && DEBIAN_VERSIONS[major]) return { family: 'debian', codename: DEBIAN_VERSIONS[major] };
    if (DEBIAN_CODENAMES.has(first) || DEBIAN_SUITES.has(first))
      return { family: 'debian', codename: first === 'unstable' ? 'sid' : first };
  }
  if (repo === 'ubuntu') {
    const first = parts[0]!;
    const version = /^(\d\d\.\d\d)$/.exec(first)?.[1];
    if (version && UBUNTU_VERSIONS[version]) return { family: 'ubuntu', codename: UBUNTU_VERSIONS[version] };
    if (UBUNTU_CODENAMES.has(first)) return { family: 'ubuntu', codename: first };
  }
  if (repo === 'alpine') {
    const m = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(parts[0]!);
    if (m) return { family: 'alpine', branch: `v${m[1]}.${m[2]}` };
    if (parts[0] === 'edge') return { family: 'alpine', branch: 'edge' };
  }
  for (const part of parts) {
    if (DEBIAN_CODENAMES.has(part) && part !== 'sid') return { family: 'debian', codename: part };
    if (UBUNTU_CODENAMES.has(part)) return { family: 'ubuntu', codename: part };
    const alpine = /^alpine(\d+)\.(\d+)$/.exec(part);
    if (alpine) return { family: 'alpine', branch: `v${alpine[1]}.${alpine[2]}` };
  }
  return undefined;
}

/**
 * The distribution an image is built on, from its config: the Debian builder's history line
 * (`debian.sh --arch 'amd64' out/ 'bookworm' '@1743984000'`, kept by every image built on an
 * official Debian one), Ubuntu's `org.opencontainers.image.version` label, or the Alpine root file
 * system's name (`ADD alpine-minirootfs-3.20.6-x86_64.tar.gz /`). The newest history entry that
 * names one wins.
 */
export function distributionFromConfig(config: ImageConfigFacts): Distribution | undefined {
  for (let i = config.history.length - 1; i >= 0; i--) {
    const line = config.history[i]!;
    const debian = /debian\.sh\b.*?\sout\/\s+'([a-z]+)'/.exec(line)?.[1];
    if (debian && (DEBIAN_CODENAMES.has(debian) || DEBIAN_SUITES.has(debian)))
      return { family: 'debian', codename: debian === 'unstable' ? 'sid' : debian };
    const ubuntu = /\borg\.opencontainers\.image\.version=["']?(\d\d\.\d\d)\b/.exec(line)?.[1];
    if (
      ubuntu &&
      UBUNTU_VERSIONS[ubuntu] &&
      config.history.slice(0, i + 1).some((h) => /ref\.name=["']?ubuntu\b/.test(h))
    )
      return { family: 'ubuntu', codename: UBUNTU_VERSIONS[ubuntu] };
    const alpine = /alpine-minirootfs-(?:(\d+)\.(\d+)\.\d+|(\d{8}))-/.exec(line);
    if (alpine) return { family: 'alpine', branch: alpine[3] ? 'edge' : `v${alpine[1]}.${alpine[2]}` };
  }
  const version = config.labels['org.opencontainers.image.version'];
  if (config.labels['org.opencontainers.image.ref.name'] === 'ubuntu' && version && UBUNTU_VERSIONS[version])
    return { family: 'ubuntu', codename: UBUNTU_VERSIONS[version] };
  return undefined;
}

/** Debian's name for an OCI platform's architecture (`linux/arm/v7` → `armhf`). */
export function debianArchitecture(platform: string): string | undefined {
  const [, arch, variant] = platform.split('/');
  const table: Record<string, string> = {
    amd64: 'amd64',
    arm64: 'arm64',
    '386': 'i386',
    ppc64le: 'ppc64el',
    s390x: 's390x',
    mips64le: 'mips64el',
    riscv64: 'riscv64',
    loong64: 'loong64',
  };
  if (arch === 'arm') return variant === 'v5' ? 'armel' : 'armhf';
  return table[arch ?? ''];
}

/** Alpine's name for an OCI platform's architecture (`linux/arm64` → `aarch64`). */
export function alpineArchitecture(platform: string): string | undefined {
  const [, arch, variant] = platform.split('/');
  const table: Record<string, string> = {
    amd64: 'x86_64',
    arm64: 'aarch64',
    '386': 'x86',
    ppc64le: 'ppc64le',
    s390x: 's390x',
    riscv64: 'riscv64',
    loong64: 'loongarch64',
  };
  if (arch === 'arm') return variant === 'v6' ? 'armhf' : 'armv7';
  return table[arch ?? ''];
}
