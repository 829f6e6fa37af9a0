import { execFile, ExecFileException } from 'node:child_process';
import * as path from 'node:path';
import { repositoryRoot } from './roots';

/** What git says a folder holds, or why the folder is walked instead. */
export type GitListing =
  /** Not inside a git work tree (no `.git` in it or above it): the folder is walked, nothing to say. */
  | { kind: 'none' }
  /** Git could not list the work tree: the folder is walked; `reason` says why. */
  | { kind: 'failed'; reason: string }
  /**
   * Paths relative to the folder, `/`-separated: tracked files plus untracked ones no ignore rule
   * matches. Folders git does not look into (submodules, nested repositories) are listed as folders.
   */
  | { kind: 'listed'; paths: string[] };

export interface GitListOptions {
  /** The git program (default `git` on PATH). */
  git?: string;
  /** How long git may run (default 30 s). */
  timeoutMs?: number;
  /** The most output accepted (default 64 MiB): a listing beyond it is not used. */
  maxBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Settings given on the command line, over any the repository's config sets: a repository is
 * hostile, and its config must not make git run a program. `ls-files` reads no file content (no
 * clean/smudge filter runs) and runs no hook; the file-system monitor is the one program it would
 * start (`core.fsmonitor` may name any command), so it is switched off, and so are hooks (should
 * a later git run one), the untracked cache (written back to the index) and path quoting.
 */
const SAFE_CONFIG = [
  'core.fsmonitor=false',
  'core.hooksPath=/dev/null',
  'core.untrackedCache=false',
  'core.quotePath=false',
];

/**
 * Lists the files of the git work tree `folder` is in, the way a CI checkout holds them: tracked
 * files (also those `.gitignore` matches) and untracked files that are not ignored
 * (`git ls-files -z --cached --others --exclude-standard`). Git runs without a pager, hooks, the
 * file-system monitor or optional index writes, with the `GIT_*` variables that could point it
 * elsewhere removed from its environment, within a time and an output limit. A repository git
 * refuses (another user's, "dubious ownership"), a missing git, a timeout or too much output give
 * `failed` with the reason.
 */
export function gitListing(folder: string, options: GitListOptions = {}): Promise<GitListing> {
  if (repositoryRoot(path.resolve(folder)) === undefined) return Promise.resolve({ kind: 'none' });
  const args = [
    '--no-pager',
    '--no-optional-locks',
    ...SAFE_CONFIG.flatMap((setting) => ['-c', setting]),
    'ls-files',
    '-z',
    '--cached',
    '--others',
    '--exclude-standard',
  ];
  return new Promise((resolve) => {
    execFile(
      options.git ?? 'git',
      args,
      {
        cwd: folder,
        env: gitEnvironment(process.env),
        encoding: 'buffer',
        maxBuffer: options.maxBytes ?? DEFAULT_MAX_BYTES,
        timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        killSignal: 'SIGKILL',
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        if (error) resolve({ kind: 'failed', reason: failure(error, stderr.toString('utf8'), options) });
        else resolve({ kind: 'listed', paths: unique(stdout.toString('utf8').split('\0')) });
      },
    ).stdin?.end();
  });
}

/** The environment git runs in: the user's, without `GIT_*` (GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE, GIT_CONFIG_*…). */
export function gitEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) if (!/^GIT_/i.test(name)) clean[name] = value;
  return { ...clean, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_PAGER: 'cat', PAGER: 'cat' };
}

function unique(entries: string[]): string[] {
  return [...new Set(entries.filter((e) => e !== ''))];
}

function failure(error: ExecFileException, stderr: string, options: GitListOptions): string {
  if (error.code === 'ENOENT') return 'git is not installed';
  if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
    return `git listed more than ${options.maxBytes ?? DEFAULT_MAX_BYTES} bytes`;
  if (error.killed) return `git did not answer within ${(options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000} s`;
  const said = stderr
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '');
  return `git failed: ${(said ?? error.message).slice(0, 300)}`;
}
