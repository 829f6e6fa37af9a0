import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT } from './repo';

/** The compiled CLI entry. */
export const CLI = path.join(REPO_ROOT, 'out', 'server', 'src', 'cli', 'main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  cwd: string;
  /** Added to a minimal environment (PATH, and HOME pointing nowhere so no developer config is read). */
  env?: Record<string, string>;
  /** Runs the CLI as this uid/gid through `setpriv` (permission checks never fail for root). */
  asUser?: number;
  /** Written to standard input, which is then closed. */
  stdin?: string;
  /** The CLI's umask (it runs through `sh -c 'umask …; exec …'`). */
  umask?: number;
  /** Kills the CLI after this long (a hang must fail the test, not the run); default 60 s. */
  killAfterMs?: number;
}

/**
 * Runs the CLI in a child process without blocking this one, so servers the test runs on loopback
 * keep answering while the CLI talks to them.
 */
export function runCli(args: readonly string[], options: CliRunOptions): Promise<CliResult> {
  const env = { PATH: process.env.PATH ?? '', HOME: '/nonexistent', ...options.env };
  let command = [process.execPath, CLI, ...args];
  if (options.asUser !== undefined)
    command = ['setpriv', `--reuid=${options.asUser}`, `--regid=${options.asUser}`, '--clear-groups', '--', ...command];
  if (options.umask !== undefined)
    command = ['sh', '-c', `umask ${options.umask.toString(8)}; exec "$@"`, 'sh', ...command];
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), { cwd: options.cwd, env });
    const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 60_000);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}
