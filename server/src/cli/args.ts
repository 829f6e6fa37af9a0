import { FAIL_ON_VALUES, FailOn, isFailOn } from './failOn';
import { parseMirrorOption } from '../packages/mirrors';
import { isTimeout, MAX_TIMEOUT_MS } from '../net/deadline';
import { normalServerUrl, defaultUserSettings, UserSettings } from '../net/userSettings';

/** Parsed command line of `driftguard`. */
export interface CliArgs {
  command: 'scan' | 'pin' | 'help' | 'version';
  paths: string[];
  format: 'text' | 'json' | 'sarif';
  failOn: FailOn;
  config?: string;
  output?: string;
  maxBytes?: number;
  /** pin: rewrite nothing, print what would change. */
  dryRun: boolean;
  /** pin: `os/arch[/variant]` to pin instead of the multi-arch index. */
  platform?: string;
  /** Registries reachable over plain HTTP. */
  insecure: string[];
  timeoutMs?: number;
  caFile?: string;
  /** pin: also pin package installs to what their managers would install today. */
  packages: boolean;
  /** pin --packages: archive and index URLs by key (`--mirror debian=URL`), the user's only. */
  mirrors: Record<string, string>;
  /** `--color` / `--no-color`; unset: decided from the environment and the terminal. */
  color?: boolean;
  /** scan: run the rules that need the network (the user's choice; no config file can make it). */
  online: boolean;
  /** `--github-url`: the GitHub server action refs are resolved on. */
  githubUrl?: string;
}

export class UsageError extends Error {}

export const USAGE = `Usage: driftguard [scan] [paths…] [options]
       driftguard pin [paths…] [--packages] [--platform os/arch] [--dry-run] [network options]

Options:
  --format text|json|sarif   output format (default: text)
  --fail-on error|warning|info|none
                             exit 1 when a finding is at or above this severity (default: warning;
                             none: findings never change the exit code)
  --config FILE              use this config instead of .driftguard.yaml lookup
  --output FILE              write the report to FILE instead of standard output
  --max-file-size BYTES      skip larger files (default: 1048576)
  --color, --no-color        colour the text report (default: on a terminal, unless NO_COLOR is set)
  --online                   scan: also run the rules that ask registries (image-digest-stale)

Network options (only these, never a config file, decide what is contacted and how):
  --insecure HOST            allow plain HTTP to HOST (repeatable; loopback always is)
  --ca-file PEM              trust these extra certificate authorities
  --timeout MS               one request attempt (default: 10000; at most 2147483647)
  --mirror KEY=URL           use a package index mirror (repeatable)
  --github-url URL           GitHub server for action refs (default: GITHUB_SERVER_URL, else https://github.com)
  -h, --help                 show this help
  --version                  print the version

pin rewrites image references in place: untagged and latest to the exact version with the same
digest, tags to tag@digest; GitHub actions at a tag or branch to the commit SHA GitHub would run,
with a version comment. With --packages it also pins apt, apk, pip, npm and gem installs to the
version each would install today (Debian/Ubuntu/Alpine from the base image's release; PyPI, npm,
RubyGems). --mirror KEY=URL reads from another archive or index (keys: debian, debian-security,
ubuntu, ubuntu-security, ubuntu-ports, alpine, pypi, npm, rubygems). It exits 1 when a reference
or package could not be resolved.

Environment:
  GITHUB_SERVER_URL          git server action refs are resolved against (default https://github.com)
  GITHUB_TOKEN, GH_TOKEN     token for private action repositories, sent to that server only
  HTTPS_PROXY, NO_PROXY      proxy for network access
  NO_COLOR=1                 no colour in the text report (FORCE_COLOR=1: colour also when not a terminal)
  DRIFTGUARD_SCAN_THREADS=N  lint on N threads, main thread included (1: no worker threads);
                             default: one per core but one, up to 4, for scans of 500 files or more

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or config error.`;

export function parseArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = {
    command: 'scan',
    paths: [],
    format: 'text',
    failOn: 'warning',
    dryRun: false,
    insecure: [],
    packages: false,
    online: false,
    mirrors: {},
  };
  const rest = [...argv];
  if (rest[0] === 'scan') rest.shift();
  else if (rest[0] === 'pin') {
    rest.shift();
    args.command = 'pin';
  }
  const value = (flag: string, inline: string | undefined): string => {
    const v = inline ?? rest.shift();
    if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
    return v;
  };
  while (rest.length > 0) {
    const token = rest.shift()!;
    if (token === '--') {
      args.paths.push(...rest.splice(0));
      break;
    }
    if (!token.startsWith('-') || token === '-') {
      args.paths.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const flag = eq > 0 ? token.slice(0, eq) : token;
    const inline = eq > 0 ? token.slice(eq + 1) : undefined;
    switch (flag) {
      case '-h':
      case '--help':
        args.command = 'help';
        break;
      case '--version':
        args.command = 'version';
        break;
      case '--format': {
        const f = value(flag, inline);
        if (f !== 'text' && f !== 'json' && f !== 'sarif')
          throw new UsageError(`--format must be text, json or sarif (got ${f})`);
        args.format = f;
        break;
      }
      case '--fail-on': {
        const f = value(flag, inline);
        if (!isFailOn(f)) throw new UsageError(`--fail-on must be ${FAIL_ON_VALUES.join(', ')} (got ${f})`);
        args.failOn = f;
        break;
      }
      case '--config':
        args.config = value(flag, inline);
        break;
      case '--output':
      case '-o':
        args.output = value(flag, inline);
        break;
      case '--max-file-size': {
        const n = Number(value(flag, inline));
        if (!Number.isInteger(n) || n <= 0) throw new UsageError('--max-file-size must be a positive integer (bytes)');
        args.maxBytes = n;
        break;
      }
      case '--color':
      case '--no-color':
        if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
        args.color = flag === '--color';
        break;
      case '--dry-run':
        args.dryRun = true;
        break;
      case '--platform': {
        const p = value(flag, inline);
        if (!/^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/.test(p))
          throw new UsageError(`--platform must look like linux/amd64 or linux/arm64/v8 (got ${p})`);
        args.platform = p;
        break;
      }
      case '--insecure':
        args.insecure.push(value(flag, inline));
        break;
      case '--timeout': {
        const n = Number(value(flag, inline));
        if (!Number.isInteger(n) || !isTimeout(n))
          throw new UsageError(`--timeout must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`);
        args.timeoutMs = n;
        break;
      }
      case '--online':
        args.online = true;
        break;
      case '--github-url': {
        try {
          args.githubUrl = normalServerUrl(value(flag, inline));
        } catch (error) {
          throw new UsageError(`--github-url: ${(error as Error).message}`);
        }
        break;
      }
      case '--ca-file':
        args.caFile = value(flag, inline);
        break;
      case '--packages':
        args.packages = true;
        break;
      case '--mirror': {
        let parsed: [string, string];
        try {
          parsed = parseMirrorOption(value(flag, inline));
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
        args.mirrors[parsed[0]] = parsed[1];
        break;
      }
      default:
        throw new UsageError(`unknown option ${flag}`);
    }
  }
  if ((args.packages || Object.keys(args.mirrors).length > 0) && args.command === 'scan')
    throw new UsageError('--packages and --mirror go with driftguard pin');
  if (args.paths.length === 0) args.paths.push('.');
  return args;
}

/** The user-only settings of this run: from flags and the environment, never from a config file. */
export function userSettingsOf(args: CliArgs): UserSettings {
  const settings = defaultUserSettings();
  settings.online = args.online;
  settings.registry.insecure = [...args.insecure];
  if (args.timeoutMs !== undefined) settings.registry.timeoutMs = args.timeoutMs;
  if (args.caFile) settings.registry.caFile = args.caFile;
  if (args.githubUrl) settings.github.url = args.githubUrl;
  settings.mirrors = { ...args.mirrors };
  return settings;
}
