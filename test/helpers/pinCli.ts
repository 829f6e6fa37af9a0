import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT } from './repo';

const CLI = path.join(REPO_ROOT, 'out', 'server', 'src', 'cli', 'main.js');

/** Runs the compiled CLI in `cwd` with a bare environment (no HOME, no proxy, no tokens) plus `env`. */
export function cli(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
