import * as path from 'node:path';
import type { ModelSource } from '../engine/engine';
import { imageOperand } from '../shell/imageRefs';
import { dockerSubcommand, namesDockerProgram, shellInvocation } from '../shell/programs';
import type { ShellWord } from '../shell/words';
import type { ScriptIndex } from './buildScriptIndex';
import type { ScriptText } from './scriptCopies';

/** Folders a script's working directory is written as in a mount (`-v "$(pwd)":/src`). */
const WORKING_DIRECTORY = /^(?:\$\(pwd\)|`pwd`|\$PWD|\$\{PWD\}|\.)$/;

/**
 * Marks scripts of the workspace that other scripts run in a throwaway container
 * (`docker run --rm -v "$(pwd)":/src -w /src debian:12 ./tools/deps.sh`, `… sh /src/x.sh`): the
 * container is removed after the run, so what they install there patches no live machine. The
 * script must be reached through a mount of the calling script's working directory, taken as the
 * caller's folder or a scan root, and be one of `scripts`; anything else is left as it was.
 */
export function addThrowawayRuns(
  index: ScriptIndex,
  scripts: readonly ScriptText[],
  models: ModelSource,
  roots: readonly string[],
): void {
  const known = new Set(scripts.map((s) => s.path));
  for (const script of scripts)
    for (const run of throwawayRunsBy(script, models, known, roots)) index.ephemeral.add(run);
}

/** The scripts among `known` (absolute paths) that `script` runs in a throwaway container (see `addThrowawayRuns`). */
export function throwawayRunsBy(
  script: ScriptText,
  models: ModelSource,
  known: ReadonlySet<string>,
  roots: readonly string[],
): string[] {
  if (!script.text.includes('--rm') || !/\brun\b/.test(script.text) || !namesDockerProgram(script.text)) return [];
  const model = models.readModel({ path: script.path, kind: 'shell', text: script.text });
  const bases = [path.dirname(script.path), ...roots];
  const runs: string[] = [];
  for (const command of model.shell.commands) {
    const target = throwawayScript(command.argv);
    if (!target) continue;
    for (const base of bases) {
      const hostPath = path.resolve(base, target);
      if (known.has(hostPath)) {
        runs.push(hostPath);
        break;
      }
    }
  }
  return runs;
}

/** For `docker|podman run --rm … IMAGE script …`: the script's path relative to the caller's working directory. */
function throwawayScript(argv: readonly ShellWord[]): string | undefined {
  const sub = dockerSubcommand(argv);
  if (sub?.name !== 'run') return undefined;
  const image = imageOperand(argv, sub.index + 1);
  if (!image) return undefined;
  const options = argv.slice(sub.index + 1, argv.indexOf(image));
  if (!options.some((w) => w.literal && w.value === '--rm')) return undefined;
  const command = argv.slice(argv.indexOf(image) + 1);
  const shell = shellInvocation(command);
  const file = shell?.kind === 'file' ? shell.file : command[0];
  if (!file?.literal || !file.value.includes('/')) return undefined;
  const workdir = optionValueOf(options, ['-w', '--workdir']) ?? '/';
  const inContainer = path.posix.resolve(workdir, file.value);
  for (const [host, mounted] of mounts(options)) {
    const relative = path.posix.relative(mounted, inContainer);
    if (relative.startsWith('..') || path.posix.isAbsolute(relative)) continue;
    if (WORKING_DIRECTORY.test(host)) return relative;
    if (!host.startsWith('/') && !host.includes('$')) return path.posix.join(host, relative);
  }
  return undefined;
}

/** `-v host:container[:options]` / `--volume`: host as written (quotes removed) and the container path. */
function mounts(options: readonly ShellWord[]): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  options.forEach((word, i) => {
    let value: string | undefined;
    if (word.value === '-v' || word.value === '--volume') value = options[i + 1]?.value;
    else if (word.value.startsWith('--volume=')) value = word.value.slice('--volume='.length);
    else if (/^-v./.test(word.value)) value = word.value.slice(word.value.startsWith('-v=') ? 3 : 2);
    const parts = value?.split(':');
    if (parts && parts.length >= 2 && parts[1]!.startsWith('/')) found.push([parts[0]!, parts[1]!]);
  });
  return found;
}

/** A valued option's literal value: `-w /src`, `-w/src`, `-w=/src`, `--workdir /src`, `--workdir=/src`. */
function optionValueOf(options: readonly ShellWord[], names: readonly string[]): string | undefined {
  for (let i = 0; i < options.length; i++) {
    const word = options[i]!;
    const value = word.value;
    if (names.includes(value)) return options[i + 1]?.literal ? options[i + 1]!.value : undefined;
    const name = names.find((n) => value.startsWith(n.startsWith('--') ? n + '=' : n) && value.length > n.length);
    if (!name) continue;
    if (!word.literal) return undefined;
    return value.slice(name.length).replace(/^=/, '');
  }
  return undefined;
}
