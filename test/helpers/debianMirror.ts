/**
 * A Debian mirror laid out from this machine's own apt lists (`/var/lib/apt/lists/`): the real
 * InRelease files of the release in /etc/os-release and its -updates and -security suites, and
 * their real Packages indices (stored lz4-compressed by apt, decompressed with apt's own helper)
 * served gzip-compressed as `dists/<suite>/main/binary-<arch>/Packages.gz`. The signed SHA256
 * lists are the archive's: a client checks the indices against them exactly as on a real mirror.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { xz } from './packageIndices';

const LISTS = '/var/lib/apt/lists';

export interface DebianMirrorLayout {
  /** Folder holding `debian/` and `debian-security/`. */
  root: string;
  /** The machine's release (VERSION_CODENAME of /etc/os-release). */
  codename: string;
  architecture: string;
  suites: string[];
}

export function osRelease(): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of fs.readFileSync('/etc/os-release', 'utf8').split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    if (m) fields[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1');
  }
  return fields;
}

function listFile(suite: string, archive: string, suffix: string): string | undefined {
  const name = fs.readdirSync(LISTS).find((f) => f.includes(`_${archive}_dists_${suite}_`) && f.endsWith(suffix));
  return name ? path.join(LISTS, name) : undefined;
}

let built: DebianMirrorLayout | undefined;

/** Builds the mirror once per test run (apt-get update first when the lists are missing). */
export function debianMirrorFromAptLists(): DebianMirrorLayout {
  if (built) return built;
  const release = osRelease();
  if (release.ID !== 'debian' || !release.VERSION_CODENAME)
    throw new Error(`the Debian mirror tests need a Debian machine (this is ${release.PRETTY_NAME ?? 'unknown'})`);
  const codename = release.VERSION_CODENAME;
  const architecture = spawnSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).stdout.trim();
  const suites = [
    { archive: 'debian', suite: codename },
    { archive: 'debian', suite: `${codename}-updates` },
    { archive: 'debian-security', suite: `${codename}-security` },
  ];
  const packagesSuffix = `_main_binary-${architecture}_Packages.lz4`;
  if (suites.some((s) => !listFile(s.suite, s.archive, packagesSuffix))) {
    const update = spawnSync('apt-get', ['update', '-qq'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (update.status !== 0) throw new Error('apt-get update failed: the Debian mirror tests need the apt lists');
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-debian-mirror-'));
  for (const { archive, suite } of suites) {
    const inRelease = listFile(suite, archive, '_InRelease');
    const packages = listFile(suite, archive, packagesSuffix);
    if (!inRelease || !packages)
      throw new Error(`no apt lists for ${archive} ${suite} in ${LISTS} after apt-get update`);
    const dists = path.join(root, archive, 'dists', suite);
    fs.mkdirSync(path.join(dists, 'main', `binary-${architecture}`), { recursive: true });
    fs.copyFileSync(inRelease, path.join(dists, 'InRelease'));
    const text = spawnSync('/usr/lib/apt/apt-helper', ['cat-file', packages], { maxBuffer: 1 << 30 });
    if (text.status !== 0) throw new Error(`apt-helper cat-file ${packages} failed: ${text.stderr.toString()}`);
    // Served in the compression the Release file lists first (the security and -updates suites list only xz).
    const listed = fs.readFileSync(inRelease, 'utf8');
    const index = `main/binary-${architecture}/Packages`;
    const file = path.join(dists, 'main', `binary-${architecture}`, 'Packages');
    if (listed.includes(` ${index}.gz\n`)) fs.writeFileSync(`${file}.gz`, gzipSync(text.stdout, { level: 1 }));
    else if (listed.includes(` ${index}.xz\n`)) fs.writeFileSync(`${file}.xz`, xz(text.stdout));
    else throw new Error(`${inRelease} lists neither ${index}.gz nor .xz`);
  }
  built = { root, codename, architecture, suites: suites.map((s) => s.suite) };
  process.once('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  return built;
}

/** apt's own candidates for packages on this machine's lists (one `apt-cache policy` run). */
export function aptCandidates(names: readonly string[]): Map<string, string | undefined> {
  const out = spawnSync('apt-cache', ['policy', ...names], { encoding: 'utf8' }).stdout;
  const candidates = new Map<string, string | undefined>();
  for (const block of out.split(/^(?=\S+:$)/m)) {
    const name = /^(\S+):$/m.exec(block)?.[1];
    const candidate = /Candidate:\s*(\S+)/.exec(block)?.[1];
    if (name) candidates.set(name, candidate && candidate !== '(none)' ? candidate : undefined);
  }
  return candidates;
}
