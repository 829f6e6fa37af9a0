import { checkServerUrl } from '../git/smartHttp';
import { MirrorKey, mirrorsFrom } from '../packages/mirrors';
import { isTimeout, MAX_TIMEOUT_MS } from './deadline';

/**
 * The user-only settings channel: everything that lets DriftGuard use the network or points it
 * somewhere (which hosts, over plain HTTP or not, trusting which CAs, with which tokens, and
 * whether rules that need the network run at all). These come from the user and never from the
 * repository being read:
 *
 * - VS Code: settings of `application` or `machine` scope (VS Code ignores workspace values of
 *   those), read by the client from user scope only and sent as `initializationOptions.userSettings`,
 *   then with `driftguard/didChangeUserSettings` when the user changes them or grants trust;
 * - other editors: the same `initializationOptions.userSettings` from the user's editor config;
 * - the CLI and runners: flags (`--online`, `--insecure`, `--ca-file`, `--timeout`, `--mirror`,
 *   `--github-url`) and the environment (`GITHUB_SERVER_URL`, `HTTPS_PROXY`);
 * - tokens: the environment only (`GH_TOKEN` / `GITHUB_TOKEN`; Docker's `config.json` for registries).
 *
 * Never `.driftguard.yaml`, `--config`, workspace settings or anything else a repository can commit:
 * a repository that could name a server could send the user's token to a host of its choice, and one
 * that could switch on online rules could make every reader's editor contact hosts it names. A new
 * network feature adds its field here, and every host carries it with no new plumbing.
 */

export interface UserSettings {
  /**
   * Rules that need the network run (`image-digest-stale`…): VS Code `driftguard.online`, CLI
   * `--online`. Off by default: opening a repository never makes DriftGuard send anything.
   */
  online: boolean;
  registry: RegistryUserSettings;
  /**
   * The GitHub server action refs are resolved on (VS Code `driftguard.github.url`, CLI
   * `--github-url`, for GitHub Enterprise). Empty: `GITHUB_SERVER_URL` from the environment, else github.com.
   */
  github: { url: string };
  /**
   * Package index mirrors by key (`debian`, `alpine`, `pypi`, `npm`, `rubygems`…, see
   * packages/mirrors.ts): VS Code `driftguard.packages.mirrors`, CLI `--mirror KEY=URL`.
   */
  mirrors: Record<string, string>;
}

/** Registry access (and the transport every network client shares: timeout, insecure hosts, CA, proxy). */
export interface RegistryUserSettings {
  /** Registry lookups for fixes, hovers and commands (`driftguard.registry.enable`). Default on. */
  enable: boolean;
  /** One request attempt (`driftguard.registry.timeout`, `--timeout`). */
  timeoutMs: number;
  /** Hosts reachable over plain HTTP besides loopback (`driftguard.registry.insecure`, `--insecure`). */
  insecure: string[];
  /** Extra CA certificates, PEM (`driftguard.registry.caFile`, `--ca-file`). */
  caFile?: string;
  /** VS Code's `http.proxy` (user scope); otherwise HTTPS_PROXY / HTTP_PROXY / NO_PROXY. */
  proxy?: string;
}

export function defaultUserSettings(): UserSettings {
  return {
    online: false,
    registry: { enable: true, timeoutMs: 10_000, insecure: [] },
    github: { url: '' },
    mirrors: {},
  };
}

/**
 * The wire form clients send: the VS Code setting names under `driftguard.` (plus `http.proxy` as
 * `proxy`). Every field is optional; values of the wrong type are dropped with a problem.
 */
export interface UserSettingsWire {
  online?: unknown;
  registry?: { enable?: unknown; timeout?: unknown; insecure?: unknown; caFile?: unknown };
  proxy?: unknown;
  github?: { url?: unknown };
  packages?: { mirrors?: unknown };
}

/** Settings from the wire form, defaults for what is absent, and a problem per value ignored. */
export function parseUserSettings(raw: unknown): { settings: UserSettings; problems: string[] } {
  const settings = defaultUserSettings();
  if (raw === undefined || raw === null) return { settings, problems: [] };
  if (!isRecord(raw)) return { settings, problems: ['userSettings must be an object'] };
  const problems: string[] = [];
  const wire = raw as UserSettingsWire;
  if (wire.online !== undefined) {
    if (typeof wire.online === 'boolean') settings.online = wire.online;
    else problems.push('online must be true or false');
  }
  readRegistry(isRecord(wire.registry) ? wire.registry : {}, settings.registry, problems);
  if (typeof wire.proxy === 'string' && wire.proxy !== '') settings.registry.proxy = wire.proxy;
  const github = isRecord(wire.github) ? wire.github : {};
  if (typeof github.url === 'string' && github.url.trim() !== '') {
    try {
      settings.github.url = normalServerUrl(github.url);
    } catch (error) {
      problems.push(`github.url: ${(error as Error).message}`);
    }
  } else if (github.url !== undefined && github.url !== '') problems.push('github.url must be a string');
  const mirrors = isRecord(wire.packages) ? wire.packages.mirrors : undefined;
  if (isRecord(mirrors)) {
    for (const [key, value] of Object.entries(mirrors)) {
      try {
        if (typeof value !== 'string') throw new Error(`mirror ${key}: not a URL`);
        settings.mirrors[key] = mirrorsFrom({ [key]: value })[key as MirrorKey];
      } catch (error) {
        problems.push(`packages.mirrors: ${(error as Error).message}`);
      }
    }
  }
  return { settings, problems };
}

function readRegistry(wire: Record<string, unknown>, registry: RegistryUserSettings, problems: string[]): void {
  if (wire.enable !== undefined) {
    if (typeof wire.enable === 'boolean') registry.enable = wire.enable;
    else problems.push('registry.enable must be true or false');
  }
  if (wire.timeout !== undefined) {
    if (Number.isInteger(wire.timeout) && isTimeout(wire.timeout)) registry.timeoutMs = wire.timeout;
    else problems.push(`registry.timeout must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`);
  }
  if (wire.insecure !== undefined) registry.insecure = stringList(wire.insecure);
  if (typeof wire.caFile === 'string' && wire.caFile !== '') registry.caFile = wire.caFile;
}

/** A GitHub server URL the user gave, checked (https, or http on loopback) and without a trailing slash. */
export function normalServerUrl(value: string): string {
  return checkServerUrl(value.trim()).href.replace(/\/+$/, '');
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string' && s !== '') : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
