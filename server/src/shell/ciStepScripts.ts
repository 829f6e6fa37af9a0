import * as path from 'node:path';
import { executedFiles } from './buildScripts';
import type { ShellSnippet } from './snippet';
import type { Range } from '../engine/types';
import { rangeHolds } from '../model/positions';
import type { ShellCommand } from './types';
import { commandName, type ShellWord } from './words';

/** The job's working directory written out: GitHub's `$GITHUB_WORKSPACE`, GitLab's `$CI_PROJECT_DIR`. */
const WORKSPACE_PREFIX = /^\$\{?(?:GITHUB_WORKSPACE|CI_PROJECT_DIR)\}?(?:\/|$)/;

/** Snippets one shell runs in turn, from a folder of the workspace (see the CI models' ShellRun). */
export interface CiShellRun {
  snippets: readonly ShellSnippet[];
  workingDirectory: string | undefined;
}

/** A command of a CI step and the folder it runs in: relative to the workspace (`''`), undefined when not known. */
export interface CiStepCommand {
  command: ShellCommand;
  folder: string | undefined;
}

/**
 * The commands CI steps run, each with the folder it runs in: the step's working directory, moved
 * by `cd`/`pushd`/`popd` to literal folders (or `$GITHUB_WORKSPACE/…`). A move in a subshell,
 * pipeline or function ends there; one in a branch or loop may or may not happen, and one to a
 * folder the step cannot name (a variable, `~`, `-`, an absolute path) leaves the folder unknown.
 * A payload (`sh -c '…'`) starts where its command runs, and its moves stay in it.
 */
export function ciStepCommands(
  runs: readonly CiShellRun[],
  commandsOf: (snippet: ShellSnippet) => readonly ShellCommand[],
): CiStepCommand[] {
  const found: CiStepCommand[] = [];
  for (const run of runs) {
    const folders = new Map<ShellSnippet, string | undefined>();
    const stacks = new Map<ShellSnippet, Array<string | undefined>>();
    /** Moves that end with a subshell: the folder within its range. */
    const scoped: Array<{ range: Range; folder: string | undefined }> = [];
    let folder = run.workingDirectory;
    for (const snippet of run.snippets) {
      folders.set(snippet, folder);
      for (const command of commandsOf(snippet)) {
        if (!folders.has(command.snippet)) folders.set(command.snippet, folder);
        const within = innermost(scoped, command.range.start);
        const current = within ? within.folder : folders.get(command.snippet);
        found.push({ command, folder: current });
        const name = commandName(command.argv[0]);
        if (command.place !== 'ci-runner' || (name !== 'cd' && name !== 'pushd' && name !== 'popd')) continue;
        const stack = stacks.get(command.snippet) ?? [];
        stacks.set(command.snippet, stack);
        let next: string | undefined;
        if (name === 'popd') next = stack.length > 0 ? stack.pop() : undefined;
        else {
          next = moveTo(current, command.argv.slice(1));
          if (name === 'pushd') stack.push(current);
        }
        if (command.scope === 'subshell') {
          if (command.scopeRange) scoped.push({ range: command.scopeRange, folder: next });
        } else folders.set(command.snippet, command.scope === 'snippet' || next === current ? next : undefined);
      }
      folder = folders.get(snippet);
    }
  }
  return found;
}

/** The last recorded scope holding `position` (scopes nest, and inner ones come later). */
function innermost<T extends { range: Range }>(scopes: readonly T[], position: Range['start']): T | undefined {
  for (let i = scopes.length - 1; i >= 0; i--) if (rangeHolds(scopes[i]!.range, position)) return scopes[i];
  return undefined;
}

/** The folder `cd <operands>` moves to from `from`; undefined when the step cannot name it. */
function moveTo(from: string | undefined, operands: readonly ShellWord[]): string | undefined {
  const targets = operands.filter((word) => !(word.literal && /^-[LPe@]+$/.test(word.value)));
  if (targets.length !== 1) return undefined;
  const word = targets[0]!;
  const inWorkspace = word.value.replace(WORKSPACE_PREFIX, '');
  const relative = inWorkspace !== word.value ? inWorkspace : word.literal ? word.value : undefined;
  if (relative === undefined || relative.includes('$') || relative === '-' || relative.startsWith('~'))
    return undefined;
  const base = inWorkspace !== word.value ? '' : from;
  return base === undefined ? undefined : workspaceFolder(base, relative);
}

/**
 * `relative` against `base`, a folder of the workspace (`''`: its root), as a folder of the workspace
 * (`/`-separated, no trailing `/`); undefined for an absolute path or one that leaves the workspace.
 */
export function workspaceFolder(base: string, relative: string): string | undefined {
  if (path.posix.isAbsolute(relative)) return undefined;
  const folder = path.posix.normalize(path.posix.join(base, relative || '.')).replace(/\/$/, '') || '.';
  if (folder === '..' || folder.startsWith('../')) return undefined;
  return folder === '.' ? '' : folder;
}

/**
 * Files of the repository that CI steps run on the runner (`./scripts/test.sh`, `bash tools/deps.sh`,
 * `. ci/env.sh`, `"$GITHUB_WORKSPACE/scripts/x.sh"`), as `/`-separated paths relative to the job's
 * workspace (the repository root), resolved against the folder each command runs in. Only commands
 * placed on the CI runner count: what a step runs over ssh or in a container is not run on the
 * runner. Absolute paths name the runner's own files; programs found on PATH (`make`) and paths with
 * other expansions are not the repository's, nor are paths from a folder that is not known.
 */
export function ciStepScripts(commands: readonly CiStepCommand[]): string[] {
  const found = new Set<string>();
  for (const { command, folder } of commands) {
    if (command.place !== 'ci-runner') continue;
    for (const word of executedFiles(command.argv)) {
      const value = word.value.replace(WORKSPACE_PREFIX, '');
      if (value.includes('$') || value.startsWith('/') || value.startsWith('EXPR')) continue;
      // A bare name as the program is looked up on PATH; as `sh name` or `. name` it is a file here.
      if (word === command.argv[0] && !value.includes('/')) continue;
      const base = value !== word.value ? '' : folder;
      if (base === undefined) continue;
      const relative = path.posix.normalize(path.posix.join(base, value));
      if (relative !== '.' && !relative.startsWith('../')) found.add(relative);
    }
  }
  return [...found];
}
