import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { cancelledError } from './errors';
import { DOCKER_HUB } from './reference';

/** A user name and password (or token) for one registry. */
export interface RegistryCredentials {
  username: string;
  password: string;
}

/** Where {@link DockerCredentials} looks. */
export interface CredentialOptions {
  /** Directory holding `config.json`; default `$DOCKER_CONFIG`, else `~/.docker`. */
  dockerConfigDir?: string;
  /** Run `docker-credential-<name>` for `credHelpers`/`credsStore`. Hosts enable this only in trusted workspaces. */
  allowCredentialHelpers?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Kill a credential helper after this long. Default 10 000. */
  helperTimeoutMs?: number;
}

interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

const HUB_KEYS = [
  'https://index.docker.io/v1/',
  'index.docker.io',
  'docker.io',
  'registry-1.docker.io',
  'https://registry-1.docker.io',
];

/** The config key Docker uses for a registry, and the server URL given to credential helpers. */
export function dockerServerKey(registry: string): string {
  return registry === DOCKER_HUB ? 'https://index.docker.io/v1/' : registry;
}

/** `https://ghcr.io/v2/` → `ghcr.io`, like Docker's ConvertToHostname; Docker Hub aliases → `docker.io`. */
export function configKeyHost(key: string): string {
  const host = key
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
  return HUB_KEYS.some((k) => configKeyHostRaw(k) === host) ? DOCKER_HUB : host;
}

function configKeyHostRaw(key: string): string {
  return key
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
}

/**
 * Reads Docker's client configuration: `auths` (base64 `auth` or `username`/`password`) and,
 * only when allowed, `credHelpers`/`credsStore` through `docker-credential-<name> get`.
 * Results are per registry; callers send them only to that registry (and its token service).
 */
export class DockerCredentials {
  private config: Promise<DockerConfigFile> | undefined;
  private readonly found = new Map<string, Promise<RegistryCredentials | undefined>>();
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly options: CredentialOptions = {}) {
    this.env = options.env ?? process.env;
  }

  get configPath(): string {
    const dir = this.options.dockerConfigDir ?? this.env.DOCKER_CONFIG ?? join(this.env.HOME ?? homedir(), '.docker');
    return join(dir, 'config.json');
  }

  /** Credentials for `registry` (display name, e.g. `docker.io`, `localhost:5000`), or undefined. */
  get(registry: string, signal?: AbortSignal): Promise<RegistryCredentials | undefined> {
    const key = registry.toLowerCase();
    let result = this.found.get(key);
    if (!result) {
      result = this.lookup(key, signal);
      this.found.set(key, result);
      result.catch(() => this.found.delete(key));
    }
    return result;
  }

  private async lookup(registry: string, signal?: AbortSignal): Promise<RegistryCredentials | undefined> {
    const config = await this.readConfig();
    const helper =
      Object.entries(config.credHelpers ?? {}).find(([k]) => configKeyHost(k) === registry)?.[1] ?? config.credsStore;
    if (helper && this.options.allowCredentialHelpers) {
      const fromHelper = await this.runHelper(helper, dockerServerKey(registry), signal);
      if (fromHelper) return fromHelper;
    }
    for (const [k, entry] of Object.entries(config.auths ?? {})) {
      if (configKeyHost(k) !== registry || !entry) continue;
      if (entry.auth) {
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
      }
      if (entry.username && entry.password) return { username: entry.username, password: entry.password };
    }
    return undefined;
  }

  private readConfig(): Promise<DockerConfigFile> {
    if (!this.config) {
      this.config = readFile(this.configPath, 'utf8').then(
        (text) => {
          try {
            const parsed: unknown = JSON.parse(text);
            return parsed && typeof parsed === 'object' ? parsed : {};
          } catch {
            return {};
          }
        },
        () => ({}),
      );
    }
    return this.config;
  }

  /** `docker-credential-<name> get`, server URL on stdin, JSON {Username, Secret} on stdout. */
  private runHelper(name: string, serverUrl: string, signal?: AbortSignal): Promise<RegistryCredentials | undefined> {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) return Promise.resolve(undefined);
    if (signal?.aborted) return Promise.reject(cancelledError());
    return new Promise((resolve, reject) => {
      const child = spawn(`docker-credential-${name}`, ['get'], { env: this.env, stdio: ['pipe', 'pipe', 'ignore'] });
      let out = '';
      let settled = false;
      const finish = (value: RegistryCredentials | undefined, error?: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(value);
      };
      const onAbort = (): void => {
        child.kill();
        finish(undefined, cancelledError());
      };
      const timer = setTimeout(() => {
        child.kill();
        finish(undefined);
      }, this.options.helperTimeoutMs ?? 10_000);
      signal?.addEventListener('abort', onAbort, { once: true });
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        if (out.length < 65_536) out += chunk;
      });
      child.once('error', () => finish(undefined));
      child.once('close', (code) => {
        if (code !== 0) return finish(undefined);
        try {
          const parsed = JSON.parse(out) as { Username?: unknown; Secret?: unknown };
          if (typeof parsed.Username === 'string' && typeof parsed.Secret === 'string' && parsed.Secret) {
            return finish({ username: parsed.Username, password: parsed.Secret });
          }
        } catch {
          /* not JSON: treat as no credentials */
        }
        finish(undefined);
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(serverUrl);
    });
  }
}
