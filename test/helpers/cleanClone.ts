import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './repo';

let cached: string | undefined;

/**
 * A clean clone of this tree as it would be committed: the files git tracks or would add (not
 * ignored), as they are in the working tree, committed into a scratch repository and cloned from
 * there. Nothing built or installed comes along (no node_modules/, dist/, out/): what a runner
 * downloading the action, or pre-commit cloning the hook, gets. One per test run, shared.
 */
export function cleanClone(): string {
  if (cached && fs.existsSync(cached)) return cached;
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-clone-'));
  const snapshot = path.join(base, 'snapshot');
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=DriftGuard tests', '-c', 'user.email=tests@driftguard.invalid', ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const files = git(REPO_ROOT, 'ls-files', '-z', '--cached', '--others', '--exclude-standard')
    .toString()
    .split('\0')
    .filter(Boolean);
  for (const rel of new Set(files)) {
    const from = path.join(REPO_ROOT, rel);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(from);
    } catch {
      continue; // deleted in the working tree
    }
    const to = path.join(snapshot, rel);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    if (stat.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(from), to);
    else if (stat.isFile()) fs.copyFileSync(from, to); // keeps the mode: scripts stay executable
  }
  git(snapshot, 'init', '-q');
  git(snapshot, 'add', '-A');
  git(snapshot, 'commit', '-q', '-m', 'snapshot');
  git(base, 'clone', '-q', snapshot, 'clone');
  cached = path.join(base, 'clone');
  return cached;
}
