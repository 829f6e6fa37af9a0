import type { OptionSpec } from './options';
import { firstOperand, hasOption, optionValue } from './options';
import type { ShellCommand } from './types';
import type { ShellWord } from './words';
import { commandName } from './words';

export type PackageAction = 'install' | 'upgrade' | 'upgrade-all' | 'remove';

/** Package managers grouped by how they pin versions (which `package-unpinned` checks). */
export type PackageFamily = 'apt' | 'apk' | 'rpm' | 'zypper' | 'pip' | 'npm' | 'gem' | 'go' | 'other';

/** A package-manager command that changes what is installed. */
export interface PackageOperation {
  /** Program as written (`apt-get`, `pip3`, `python3 -m pip`, `yarn global`). */
  manager: string;
  family: PackageFamily;
  action: PackageAction;
  /** argv[0] through the subcommand word (`apt-get install`, `npm i`): what findings point at. */
  verb: ShellWord[];
  /**
   * Named packages with whether a version is pinned (hadolint's semantics). Words whose value is
   * unknown (`$PACKAGES`) are left out: a scan cannot tell. Empty for managers without pinning.
   */
  packages: Array<{ word: ShellWord; pinned: boolean }>;
  /**
   * Installs outside the project, onto the machine: npm/yarn/pnpm `-g`/`global`, `go install`. Local npm
   * installs change a project's `node_modules`; `go get` a module's `go.mod`; `go run pkg@v` only the
   * module cache.
   */
  global: boolean;
}

/** Every operand index from `from`, skipping options and their values. */
function operands(argv: readonly ShellWord[], from: number, spec: OptionSpec): number[] {
  const result: number[] = [];
  let i = from;
  let ended = false;
  while (i < argv.length) {
    if (ended) {
      result.push(i++);
      continue;
    }
    if (argv[i]!.literal && argv[i]!.value === '--') {
      ended = true;
      i++;
      continue;
    }
    const next = firstOperand(argv, i, spec);
    if (next > i && argv[next - 1]?.value === '--') {
      ended = true;
      i = next;
      continue;
    }
    if (next >= argv.length) break;
    result.push(next);
    i = next + 1;
  }
  return result;
}

const PATH_LIKE = /^(?:\.{1,2}(?:\/|$)|\/|~\/|file:)/;

function collect(
  argv: readonly ShellWord[],
  indexes: number[],
  pinned: (value: string, word: ShellWord) => boolean | undefined,
): PackageOperation['packages'] {
  const packages: PackageOperation['packages'] = [];
  for (const i of indexes) {
    const word = argv[i]!;
    const verdict = pinned(word.value, word);
    if (verdict !== undefined) packages.push({ word, pinned: verdict });
  }
  return packages;
}

/** A word with an expansion and no version marker is unknown (undefined); otherwise the test decides. */
function known(word: ShellWord, test: () => boolean): boolean | undefined {
  if (test()) return true;
  return word.literal ? false : undefined;
}

function op(
  manager: string,
  family: PackageFamily,
  action: PackageAction,
  verb: ShellWord[],
  packages: PackageOperation['packages'] = [],
  global = false,
): PackageOperation {
  return { manager, family, action, verb, packages, global };
}

const APT: OptionSpec = {
  shortValued: 'oct',
  longValued: ['--option', '--config-file', '--target-release', '--default-release'],
};
const APK: OptionSpec = {
  shortValued: 'tXp',
  longValued: [
    '--virtual',
    '--repository',
    '--root',
    '--arch',
    '--cache-dir',
    '--keys-dir',
    '--repositories-file',
    '--cache-max-age',
    '--wait',
    '--timeout',
    '--progress-fd',
  ],
};
const RPM_TOOLS: OptionSpec = {
  shortValued: 'cdexR',
  longValued: [
    '--exclude',
    '--setopt',
    '--enablerepo',
    '--disablerepo',
    '--repo',
    '--repoid',
    '--installroot',
    '--releasever',
    '--config',
    '--repofrompath',
    '--forcearch',
    '--downloaddir',
    '--destdir',
    '--rpmverbosity',
    '--debuglevel',
    '--errorlevel',
    '--color',
    '--disableplugin',
    '--enableplugin',
  ],
};
const ZYPPER_GLOBAL: OptionSpec = {
  shortValued: 'Rc',
  longValued: [
    '--root',
    '--reposd-dir',
    '--cache-dir',
    '--config',
    '--raw-cache-dir',
    '--solv-cache-dir',
    '--pkg-cache-dir',
  ],
};
const ZYPPER: OptionSpec = { shortValued: 'trf', longValued: ['--type', '--repo', '--from'] };
const PIP: OptionSpec = {
  shortValued: 'rceiftC',
  longValued: [
    '--requirement',
    '--constraint',
    '--editable',
    '--index-url',
    '--extra-index-url',
    '--find-links',
    '--target',
    '--prefix',
    '--root',
    '--trusted-host',
    '--platform',
    '--python-version',
    '--implementation',
    '--abi',
    '--progress-bar',
    '--cache-dir',
    '--src',
    '--upgrade-strategy',
    '--global-option',
    '--install-option',
    '--no-binary',
    '--only-binary',
    '--config-settings',
    '--log',
    '--timeout',
    '--retries',
    '--proxy',
    '--cert',
    '--client-cert',
    '--exists-action',
    '--python',
    '--report',
    '--root-user-action',
    '--use-feature',
    '--use-deprecated',
    '--keyring-provider',
    '--spec',
    '--pip-args',
    '--index-strategy',
  ],
};
const NPM: OptionSpec = {
  longValued: [
    '--prefix',
    '--registry',
    '--cache',
    '--loglevel',
    '--workspace',
    '--omit',
    '--include',
    '--tag',
    '--userconfig',
    '--location',
    '--install-strategy',
    '--modules-folder',
    '--cache-folder',
    '--network-timeout',
    '--mutex',
    '--cwd',
    '--global-folder',
    '--filter',
    '--dir',
    '--store-dir',
    '--reporter',
  ],
  shortValued: 'C',
};
const GEM: OptionSpec = {
  shortValued: 'vinsPg',
  longValued: [
    '--version',
    '--install-dir',
    '--bindir',
    '--source',
    '--trust-policy',
    '--platform',
    '--file',
    '--build-root',
  ],
};
const GO: OptionSpec = {
  longValued: [
    '-ldflags',
    '-gcflags',
    '-tags',
    '-o',
    '-mod',
    '-modfile',
    '-overlay',
    '-pkgdir',
    '-p',
    '-asmflags',
    '-buildmode',
    '-compiler',
    '-gccgoflags',
    '-installsuffix',
    '-toolexec',
    '-pgo',
  ],
};
const CARGO: OptionSpec = {
  shortValued: 'Fj',
  longValued: [
    '--version',
    '--vers',
    '--git',
    '--branch',
    '--tag',
    '--rev',
    '--path',
    '--root',
    '--registry',
    '--index',
    '--features',
    '--target',
    '--bin',
    '--example',
    '--jobs',
    '--profile',
    '--config',
    '--target-dir',
    '--color',
  ],
};

const RPM_VERSION = /-(?:\d+:)?\d/;

function aptPinned(value: string, word: ShellWord): boolean | undefined {
  return known(word, () => value.includes('=') || /\.deb$/.test(value) || PATH_LIKE.test(value));
}

function apkPinned(value: string, word: ShellWord): boolean | undefined {
  return known(word, () => /[=~<>]/.test(value) || /\.apk$/.test(value) || PATH_LIKE.test(value));
}

function rpmPinned(value: string, word: ShellWord): boolean | undefined {
  return known(
    word,
    () =>
      RPM_VERSION.test(value.slice(1)) ||
      /[<>=]/.test(value) ||
      /\.rpm$/.test(value) ||
      PATH_LIKE.test(value) ||
      /^https?:\/\//.test(value),
  );
}

function pipPinned(value: string, word: ShellWord): boolean | undefined {
  return known(word, () => {
    if (/^(?:git|hg|svn|bzr)\+/.test(value))
      return /@[^/]+$/.test(value.split('#')[0]!.replace(/^[^:]+:\/\/[^/]*/, ''));
    return (
      /[=<>!~]/.test(value) ||
      PATH_LIKE.test(value) ||
      /\.(?:whl|zip|tar\.gz|tgz|tar\.bz2|tar\.xz)$/.test(value) ||
      /^https?:\/\//.test(value) ||
      (value.includes('/') && !value.includes('://'))
    );
  });
}

function npmPinned(value: string, word: ShellWord): boolean | undefined {
  return known(word, () => {
    if (PATH_LIKE.test(value)) return true;
    if (
      /^(?:git\+|git:|github:|gitlab:|bitbucket:|gist:)/.test(value) ||
      (/^[\w.-]+\/[\w.-]+(?:#.*)?$/.test(value) && !value.startsWith('@'))
    )
      return value.includes('#');
    return (
      value.lastIndexOf('@') > 0 ||
      PATH_LIKE.test(value) ||
      /\.(?:tgz|tar\.gz|tar)$/.test(value) ||
      /^https?:\/\//.test(value) ||
      /^(?:npm|workspace|link|portal|patch):/.test(value)
    );
  });
}

/**
 * The packages of a pip install from `from`: with a constraints file (`-c`, `--constraint`) every
 * version comes from that file, so each named package counts as pinned.
 */
function pipPackages(argv: readonly ShellWord[], from: number): PackageOperation['packages'] {
  const packages = collect(argv, operands(argv, from, PIP), pipPinned);
  const constrained = optionValue(argv, ['-c', '--constraint'], from) !== undefined;
  return constrained ? packages.map(({ word }) => ({ word, pinned: true })) : packages;
}

/** Operand indexes before a literal `--`: what follows it is passed on (gem's build flags), not packages. */
function beforeDoubleDash(argv: readonly ShellWord[], indexes: number[]): number[] {
  const end = argv.findIndex((w) => w.literal && w.value === '--');
  return end < 0 ? indexes : indexes.filter((i) => i < end);
}

function goPinned(value: string, word: ShellWord): boolean | undefined {
  return known(
    word,
    () =>
      (value.includes('@') && !value.endsWith('@latest')) ||
      PATH_LIKE.test(value) ||
      value === '.' ||
      value === './...',
  );
}

/**
 * Options that make a package manager only report what it would do: apt's simulation (`-s`,
 * `--simulate`, `--just-print`, `--dry-run`, `--recon`, `--no-act`) and `--assume-no`, dnf/yum
 * `--assumeno`, `apk --simulate`, `zypper --dry-run`, `pip install --dry-run`, `npm --dry-run`,
 * `pacman --print`. Nothing is changed, so nothing is reported.
 */
const DRY_RUN: Readonly<Record<string, readonly string[]>> = {
  apt: ['-s', '--simulate', '--just-print', '--dry-run', '--recon', '--no-act', '--assume-no'],
  yum: ['--assumeno'],
  apk: ['-s', '--simulate'],
  zypper: ['-D', '--dry-run'],
  pip: ['--dry-run'],
  npm: ['--dry-run'],
  pacman: ['-p', '--print'],
};
const DRY_RUN_FAMILY: Readonly<Record<string, keyof typeof DRY_RUN>> = {
  apt: 'apt',
  'apt-get': 'apt',
  aptitude: 'apt',
  yum: 'yum',
  dnf: 'yum',
  microdnf: 'yum',
  tdnf: 'yum',
  apk: 'apk',
  zypper: 'zypper',
  npm: 'npm',
  pnpm: 'npm',
  yarn: 'npm',
  pacman: 'pacman',
};

function isDryRun(argv: readonly ShellWord[], family: keyof typeof DRY_RUN): boolean {
  // Only apt reads `-s` inside a cluster (`-qs`); pacman's `-Ss` searches, its `-Sp` prints.
  const options = DRY_RUN[family]!;
  if (family === 'apt') return hasOption(argv, options);
  if (family === 'pacman' && argv.some((w) => w.literal && /^-[SUR][A-Za-z]*p/.test(w.value))) return true;
  return argv.some(
    (w, i) =>
      i > 0 &&
      w.literal &&
      (options.includes(w.value) || options.some((o) => o.startsWith('--') && w.value.startsWith(o + '='))),
  );
}

/** Classifies a command; undefined when it does not change installed packages (dry runs included). */
export function packageOperation(command: ShellCommand): PackageOperation | undefined {
  const operation = classify(command);
  if (!operation) return undefined;
  const name = commandName(command.argv[0])!;
  const family = operation.family === 'pip' ? 'pip' : DRY_RUN_FAMILY[name];
  return family && isDryRun(command.argv, family) ? undefined : operation;
}

function classify(command: ShellCommand): PackageOperation | undefined {
  const argv = command.argv;
  const name = commandName(argv[0]);
  if (name === undefined) return undefined;
  const at = (i: number) => argv[i];
  const subAt = (spec: OptionSpec, from = 1) => {
    const i = firstOperand(argv, from, spec);
    const word = at(i);
    return word && word.literal ? { i, sub: word.value, verb: [argv[0]!, word] } : undefined;
  };
  switch (name) {
    case 'apt-get':
    case 'apt':
    case 'aptitude': {
      const s = subAt(APT);
      if (!s) return undefined;
      const pkgs = () => collect(argv, operands(argv, s.i + 1, APT), aptPinned);
      if (s.sub === 'install' || s.sub === 'reinstall') return op(name, 'apt', 'install', s.verb, pkgs());
      if (s.sub === 'build-dep') return op(name, 'other', 'install', s.verb);
      if (['dist-upgrade', 'full-upgrade', 'safe-upgrade'].includes(s.sub))
        return op(name, 'apt', 'upgrade-all', s.verb);
      if (s.sub === 'upgrade')
        return op(name, 'apt', operands(argv, s.i + 1, APT).length > 0 ? 'upgrade' : 'upgrade-all', s.verb);
      if (['remove', 'purge', 'autoremove'].includes(s.sub)) return op(name, 'apt', 'remove', s.verb);
      return undefined;
    }
    case 'apk': {
      const s = subAt(APK);
      if (!s) return undefined;
      const rest = operands(argv, s.i + 1, APK);
      if (s.sub === 'add') return op(name, 'apk', 'install', s.verb, collect(argv, rest, apkPinned));
      if (s.sub === 'upgrade') return op(name, 'apk', rest.length > 0 ? 'upgrade' : 'upgrade-all', s.verb);
      if (s.sub === 'del') return op(name, 'apk', 'remove', s.verb);
      return undefined;
    }
    case 'yum':
    case 'dnf':
    case 'microdnf':
    case 'tdnf': {
      const s = subAt(RPM_TOOLS);
      if (!s) return undefined;
      let rest = operands(argv, s.i + 1, RPM_TOOLS);
      if (s.sub === 'install' || s.sub === 'reinstall' || s.sub === 'localinstall')
        return op(name, 'rpm', 'install', s.verb, collect(argv, rest, rpmPinned));
      if (s.sub === 'groupinstall') return op(name, 'other', 'install', s.verb);
      if ((s.sub === 'group' || s.sub === 'groups' || s.sub === 'module') && rest.length > 0) {
        const sub2 = argv[rest[0]!]!;
        rest = rest.slice(1);
        const verb = [...s.verb, sub2];
        if (sub2.value === 'install')
          return s.sub === 'module'
            ? op(
                name,
                'rpm',
                'install',
                verb,
                collect(argv, rest, (v, w) => known(w, () => v.includes(':') || PATH_LIKE.test(v))),
              )
            : op(name, 'other', 'install', verb);
        if (sub2.value === 'remove') return op(name, 'other', 'remove', verb);
        if (sub2.value === 'update' || sub2.value === 'upgrade') return op(name, 'other', 'upgrade', verb);
        return undefined;
      }
      if (
        ['update', 'upgrade', 'update-minimal', 'upgrade-minimal', 'distro-sync', 'dsync', 'distrosync'].includes(s.sub)
      )
        return op(name, 'rpm', rest.length > 0 ? 'upgrade' : 'upgrade-all', s.verb);
      if (['remove', 'erase', 'autoremove'].includes(s.sub)) return op(name, 'rpm', 'remove', s.verb);
      return undefined;
    }
    case 'zypper': {
      const s = subAt(ZYPPER_GLOBAL);
      if (!s) return undefined;
      const rest = operands(argv, s.i + 1, ZYPPER);
      const type = optionValue(argv, ['-t', '--type'], s.i + 1);
      const typeValue = typeof type === 'string' ? type : type?.value;
      if (s.sub === 'install' || s.sub === 'in')
        return op(
          name,
          'zypper',
          'install',
          s.verb,
          typeValue && typeValue !== 'package' ? [] : collect(argv, rest, rpmPinned),
        );
      if (s.sub === 'update' || s.sub === 'up')
        return op(name, 'zypper', rest.length > 0 ? 'upgrade' : 'upgrade-all', s.verb);
      if (s.sub === 'dist-upgrade' || s.sub === 'dup' || s.sub === 'patch')
        return op(name, 'zypper', 'upgrade-all', s.verb);
      if (s.sub === 'remove' || s.sub === 'rm') return op(name, 'zypper', 'remove', s.verb);
      return undefined;
    }
    case 'pacman': {
      const flags = argv.slice(1).find((w) => /^-[A-Za-z]+$/.test(w.value) && /[SURD]/.test(w.value[1] ?? ''));
      if (!flags) return undefined;
      const rest = operands(argv, 1, {});
      const verb = [argv[0]!, flags];
      const letters = flags.value.slice(1);
      if (letters.startsWith('S') && letters.includes('u') && rest.length === 0)
        return op(name, 'other', 'upgrade-all', verb);
      if ((letters.startsWith('S') && rest.length > 0) || letters.startsWith('U'))
        return op(name, 'other', letters.includes('u') ? 'upgrade-all' : 'install', verb);
      if (letters.startsWith('R')) return op(name, 'other', 'remove', verb);
      return undefined;
    }
    case 'pipx': {
      const s = subAt(PIP);
      if (!s) return undefined;
      if (s.sub === 'install' || s.sub === 'inject')
        return op(name, 'pip', 'install', s.verb, pipPackages(argv, s.i + 1));
      if (s.sub === 'upgrade' || s.sub === 'upgrade-all') return op(name, 'pip', 'upgrade', s.verb);
      if (s.sub === 'uninstall' || s.sub === 'uninstall-all') return op(name, 'pip', 'remove', s.verb);
      return undefined;
    }
    case 'npm':
    case 'cnpm':
    case 'pnpm':
    case 'yarn': {
      let s = subAt(NPM);
      if (!s) return undefined;
      let global = hasOption(argv, ['-g', '--global']) || argv.some((w) => w.value === '--location=global');
      let manager: string = name;
      if (name === 'yarn' && s.sub === 'global') {
        const inner = subAt(NPM, s.i + 1);
        if (!inner) return undefined;
        s = { i: inner.i, sub: inner.sub, verb: [argv[0]!, argv[s.i]!, argv[inner.i]!] };
        global = true;
        manager = 'yarn global';
      }
      const rest = () => collect(argv, operands(argv, s.i + 1, NPM), npmPinned);
      const install =
        name === 'yarn'
          ? ['add']
          : ['install', 'i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall', 'add'];
      if (install.includes(s.sub)) return op(manager, 'npm', 'install', s.verb, rest(), global);
      if (['uninstall', 'un', 'unlink', 'remove', 'rm', 'r'].includes(s.sub))
        return op(manager, 'npm', 'remove', s.verb, [], global);
      if (['update', 'up', 'upgrade', 'udpate'].includes(s.sub))
        return op(manager, 'npm', 'upgrade', s.verb, [], global);
      return undefined;
    }
    case 'gem': {
      const s = subAt(GEM);
      if (!s) return undefined;
      if (s.sub === 'install' || s.sub === 'i') {
        const versioned = optionValue(argv, ['-v', '--version'], s.i + 1) !== undefined;
        return op(
          name,
          'gem',
          'install',
          s.verb,
          collect(argv, beforeDoubleDash(argv, operands(argv, s.i + 1, GEM)), (v, w) =>
            known(w, () => versioned || v.includes(':') || /\.gem$/.test(v) || PATH_LIKE.test(v)),
          ),
        );
      }
      if (s.sub === 'update')
        return op(name, 'gem', operands(argv, s.i + 1, GEM).length > 0 ? 'upgrade' : 'upgrade-all', s.verb);
      if (s.sub === 'uninstall') return op(name, 'gem', 'remove', s.verb);
      return undefined;
    }
    case 'go': {
      const s = subAt({});
      if (!s) return undefined;
      const rest = operands(argv, s.i + 1, GO);
      if (s.sub === 'install') return op(name, 'go', 'install', s.verb, collect(argv, rest, goPinned), true);
      if (s.sub === 'get') return op(name, 'go', 'install', s.verb, collect(argv, rest, goPinned));
      // `go run pkg@version [args]`: only a versioned first operand names a module to fetch; a local
      // package or file (`go run .`, `go run main.go`) fetches nothing.
      const first = rest[0];
      if (s.sub === 'run' && first !== undefined && argv[first]!.value.includes('@'))
        return op(name, 'go', 'install', s.verb, collect(argv, [first], goPinned));
      return undefined;
    }
    case 'cargo': {
      const s = subAt(CARGO);
      if (s?.sub === 'install') return op(name, 'other', 'install', s.verb);
      if (s?.sub === 'uninstall') return op(name, 'other', 'remove', s.verb);
      return undefined;
    }
    case 'brew':
    case 'snap':
    case 'conda':
    case 'mamba':
    case 'micromamba': {
      const s = subAt({ shortValued: 'nc', longValued: ['--name', '--channel', '--prefix'] });
      if (!s) return undefined;
      if (s.sub === 'install' || s.sub === 'reinstall') return op(name, 'other', 'install', s.verb);
      if (['upgrade', 'update', 'refresh'].includes(s.sub)) return op(name, 'other', 'upgrade', s.verb);
      if (['uninstall', 'remove', 'rm'].includes(s.sub)) return op(name, 'other', 'remove', s.verb);
      return undefined;
    }
    case 'dpkg': {
      const flag = argv.slice(1).find((w) => /^(?:-i|--install|-r|--remove|-P|--purge)$/.test(w.value));
      if (!flag) return undefined;
      return op(name, 'other', /^(?:-i|--install)$/.test(flag.value) ? 'install' : 'remove', [argv[0]!, flag]);
    }
    case 'rpm': {
      const flag = argv
        .slice(1)
        .find(
          (w) => /^-[iUFe][a-z]*$|^--(?:install|upgrade|freshen|erase)$/.test(w.value) && !/^-[iUFe]?q/.test(w.value),
        );
      if (!flag) return undefined;
      return op(name, 'other', /^-e|--erase/.test(flag.value) ? 'remove' : 'install', [argv[0]!, flag]);
    }
    default:
      return pipOperation(command);
  }
}

/** pip, pip3, pip3.11, `python -m pip`, `python3.12 -m pip`, `uv pip`. */
function pipOperation(command: ShellCommand): PackageOperation | undefined {
  const argv = command.argv;
  const name = commandName(argv[0])!;
  let start: number;
  let manager: string;
  if (/^pip(?:\d+(?:\.\d+)?)?$/.test(name)) {
    start = 1;
    manager = name;
  } else if (
    /^(?:python|py)(?:\d+(?:\.\d+)?)?$/.test(name) &&
    argv[1]?.value === '-m' &&
    /^pip\d?$/.test(argv[2]?.value ?? '')
  ) {
    start = 3;
    manager = `${name} -m pip`;
  } else if (name === 'uv' && argv[1]?.value === 'pip') {
    start = 2;
    manager = 'uv pip';
  } else return undefined;
  const i = firstOperand(argv, start, PIP);
  const sub = argv[i];
  if (!sub || !sub.literal) return undefined;
  const verb = [...argv.slice(0, start === 1 ? 1 : start), sub];
  if (sub.value === 'install') return op(manager, 'pip', 'install', verb, pipPackages(argv, i + 1));
  if (sub.value === 'uninstall') return op(manager, 'pip', 'remove', verb);
  return undefined;
}
