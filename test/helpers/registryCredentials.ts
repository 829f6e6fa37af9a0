/** Docker client config files and a `docker-credential-dgtest` helper for credential tests. */
import { chmodSync, mkdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function basicAuth(user: string, pass: string): string {
  return Buffer.from(`${user}:${pass}`).toString('base64');
}

/** Writes `<dir>/config.json`; returns `dir`. */
export function writeDockerConfig(dir: string, config: unknown): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  return dir;
}

/**
 * Writes `<binDir>/docker-credential-dgtest`: answers `get` for `serverUrl` with the given
 * credentials, "not found" for anything else, and logs every server URL it was asked for.
 */
export function writeCredentialHelper(
  binDir: string,
  serverUrl: string,
  user: string,
  secret: string,
): { logFile: string; calls(): string[] } {
  mkdirSync(binDir, { recursive: true });
  const logFile = join(binDir, 'dgtest.log');
  const script = [
    '#!/bin/sh',
    '[ "$1" = get ] || exit 2',
    'server=$(cat)',
    `printf '%s\\n' "$server" >> '${logFile}'`,
    `if [ "$server" = '${serverUrl}' ]; then`,
    `  printf '{"ServerURL":"%s","Username":"${user}","Secret":"${secret}"}\\n' "$server"`,
    'else',
    '  echo "credentials not found in native keychain"',
    '  exit 1',
    'fi',
    '',
  ].join('\n');
  const file = join(binDir, 'docker-credential-dgtest');
  writeFileSync(file, script);
  chmodSync(file, 0o755);
  return {
    logFile,
    calls: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').filter(Boolean) : []),
  };
}
