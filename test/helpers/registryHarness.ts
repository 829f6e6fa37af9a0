/**
 * Starts Debian's `docker-registry` (distribution 2.8) on a free loopback port with its own
 * config, for the registry client tests. Never skips: a missing tool fails the suite loudly.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Debian packages that provide the tools: docker-registry, apache2-utils (htpasswd), openssl. */
export const REQUIRED_TOOLS: Record<string, string> = {
  'docker-registry': 'docker-registry',
  htpasswd: 'apache2-utils',
  openssl: 'openssl',
};

/** Throws (never skips) when a tool the registry tests need is not installed. */
export function requireTools(...names: string[]): void {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const missing = names.filter((name) => !dirs.some((d) => existsSync(join(d, name))));
  if (missing.length > 0) {
    const packages = [...new Set(missing.map((m) => REQUIRED_TOOLS[m] ?? m))].join(' ');
    throw new Error(
      `registry tests need ${missing.join(', ')} on PATH; install with: ` +
        `apt-get install -y --no-install-recommends ${packages} (these tests never skip)`,
    );
  }
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `driftguard-${prefix}-`));
}

/** A free TCP port on `host` (bound and released; the registry binds it right after). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

/** Runs a command synchronously; throws with its stderr on failure. */
export function run(command: string, args: string[], options: { cwd?: string; input?: string } = {}): string {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    input: options.input,
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (result.error) throw new Error(`${command} failed to start: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

export type RegistryAuthMode =
  | { kind: 'noauth' }
  | { kind: 'basic'; users: Record<string, string> }
  | { kind: 'token'; realm: string; service: string; issuer: string; rootCertFile: string };

export interface StartRegistryOptions {
  auth?: RegistryAuthMode;
  /** Storage root; several registries may serve the same (seeded) data read-only. */
  dataDir?: string;
  tls?: { certFile: string; keyFile: string };
}

export interface RunningRegistry {
  /** `127.0.0.1:PORT`, what references use as registry. */
  host: string;
  port: number;
  /** `http://127.0.0.1:PORT` or `https://…`. */
  url: string;
  dir: string;
  dataDir: string;
  pid: number;
  stop(): Promise<void>;
}

function yamlString(s: string): string {
  return JSON.stringify(s);
}

/** Writes a config, starts `docker-registry serve`, waits until `/v2/` answers (at most 10 s). */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<RunningRegistry> {
  requireTools('docker-registry');
  const dir = tempDir('registry');
  const dataDir = options.dataDir ?? join(dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const lines = [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${yamlString(dataDir)}`,
    '  delete:',
    '    enabled: true',
    '  cache:',
    '    blobdescriptor: inmemory',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '  secret: test-only-not-secret',
  ];
  if (options.tls)
    lines.push(
      '  tls:',
      `    certificate: ${yamlString(options.tls.certFile)}`,
      `    key: ${yamlString(options.tls.keyFile)}`,
    );
  const auth = options.auth ?? { kind: 'noauth' };
  if (auth.kind === 'basic') {
    requireTools('htpasswd');
    const file = join(dir, 'htpasswd');
    writeFileSync(
      file,
      Object.entries(auth.users)
        .map(([u, p]) => run('htpasswd', ['-Bbn', u, p]).trim())
        .join('\n') + '\n',
    );
    lines.push('auth:', '  htpasswd:', '    realm: test-registry', `    path: ${yamlString(file)}`);
  } else if (auth.kind === 'token') {
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${yamlString(auth.realm)}`,
      `    service: ${yamlString(auth.service)}`,
      `    issuer: ${yamlString(auth.issuer)}`,
      `    rootcertbundle: ${yamlString(auth.rootCertFile)}`,
    );
  }
  const config = join(dir, 'config.yml');
  writeFileSync(config, lines.join('\n') + '\n');
  const logFile = join(dir, 'registry.log');
  const log = openSync(logFile, 'a');
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: ['ignore', log, log] });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // If the test run dies early, still kill this registry (only this PID).
  const onExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', onExit);
  const scheme = options.tls ? 'https' : 'http';
  const url = `${scheme}://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    process.removeListener('exit', onExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) {
      const text = readFileSync(logFile, 'utf8');
      await stop();
      throw new Error(`docker-registry exited with ${child.exitCode}:\n${text}`);
    }
    if (await answers(url)) break;
    if (Date.now() > deadline) {
      const text = readFileSync(logFile, 'utf8');
      await stop();
      throw new Error(`docker-registry did not answer on ${url} within 10 s:\n${text}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { host: `127.0.0.1:${port}`, port, url, dir, dataDir, pid: child.pid ?? -1, stop };
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const mod = url.startsWith('https') ? https : http;
    const req = mod.get(
      `${url}/v2/`,
      { rejectUnauthorized: false, agent: false, timeout: 500 } as https.RequestOptions,
      (res) => {
        res.resume();
        resolve(true);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}
