import type { DocumentModel } from '../engine/documentModel';
import { BuildDefinition, dockerfileBesideContext, namedContextPair } from '../model/buildDefinition';
import { dockerSubcommand, namesDockerProgram } from './programs';
import type { ShellPlace } from './snippet';
import type { ShellWord } from './words';

/** Short options of `docker build` / `podman build` that take a value. */
const SHORT_VALUED = 'cfmotv';
/** Long options of `docker build`, `docker buildx build` and `podman build` that take a separate value. */
const LONG_VALUED = new Set([
  '--add-host',
  '--allow',
  '--annotation',
  '--arch',
  '--attest',
  '--authfile',
  '--build-arg',
  '--build-context',
  '--builder',
  '--cache-from',
  '--cache-to',
  '--call',
  '--cgroup-parent',
  '--cpu-period',
  '--cpu-quota',
  '--cpu-shares',
  '--cpuset-cpus',
  '--cpuset-mems',
  '--env',
  '--file',
  '--format',
  '--iidfile',
  '--isolation',
  '--jobs',
  '--label',
  '--memory',
  '--memory-swap',
  '--metadata-file',
  '--network',
  '--no-cache-filter',
  '--os',
  '--output',
  '--platform',
  '--progress',
  '--secret',
  '--security-opt',
  '--shm-size',
  '--ssh',
  '--tag',
  '--target',
  '--ulimit',
  '--volume',
]);

/** Where the working directory is written in a path (`$PWD/docker/Dockerfile`, `"$(pwd)"`). */
const WORKING_DIRECTORY = /^(?:\$\(pwd\)|`pwd`|\$PWD|\$\{PWD\})(?=\/|$)/;

/** Places whose commands run on the machine that holds the files (not over ssh or in a container). */
export const LOCAL_PLACES: ReadonlySet<ShellPlace> = new Set(['host', 'ci-runner', 'ephemeral']);

/**
 * The builds a document's shell command lines run with another Dockerfile or context than the
 * context's own `Dockerfile` (`docker build -f docker/app/Dockerfile .`, `docker buildx build
 * --build-context templates=./templates …`, `podman build`): paths against the working directory.
 */
export function shellBuildDefinitions(document: DocumentModel): BuildDefinition[] {
  const text = document.source.text;
  if (!text.includes('build') || !/(?:^|\s)(?:-f|--file|--build-context)/m.test(text)) return [];
  if (!document.input.sourcedVariables && !namesDockerProgram(text)) return [];
  return document.shell.commands
    .filter((command) => LOCAL_PLACES.has(command.place))
    .flatMap((command) => buildCommandDefinition(command.argv) ?? []);
}

/** For `docker|podman build` and `docker buildx|builder build` with `-f` or `--build-context`: the build. */
export function buildCommandDefinition(argv: readonly ShellWord[]): BuildDefinition | undefined {
  const sub = dockerSubcommand(argv);
  if (!sub) return undefined;
  let start = sub.index + 1;
  if (sub.name === 'buildx' || sub.name === 'builder') {
    if (argv[start]?.value !== 'build' || !argv[start]!.literal) return undefined;
    start++;
  } else if (sub.name !== 'build') return undefined;
  let dockerfile: string | undefined;
  const namedContexts: Array<[string, string]> = [];
  const operands: ShellWord[] = [];
  for (let i = start; i < argv.length; i++) {
    const word = argv[i]!;
    const value = word.value;
    if (!word.literal && !value.startsWith('-')) {
      operands.push(word);
      continue;
    }
    if (value === '--') {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (!value.startsWith('-') || value === '-') {
      operands.push(word);
      continue;
    }
    const long = value.startsWith('--');
    const equals = value.indexOf('=');
    const name = long ? (equals > 0 ? value.slice(0, equals) : value) : value.slice(0, 2);
    let argument: ShellWord | string | undefined;
    if (long) argument = equals > 0 ? value.slice(equals + 1) : LONG_VALUED.has(name) ? argv[++i] : undefined;
    else if (SHORT_VALUED.includes(value[1]!)) argument = value.length > 2 ? value.slice(2) : argv[++i];
    const written = typeof argument === 'string' ? argument : argument && pathOf(argument);
    if (name === '-f' || name === '--file') dockerfile = written ?? '';
    else if (name === '--build-context') {
      const pair = namedContextPair(written ?? argumentText(argument));
      if (pair) namedContexts.push(written === undefined ? [pair[0], ''] : pair);
    }
  }
  if (operands.length !== 1 || (dockerfile === undefined && namedContexts.length === 0)) return undefined;
  const context = pathOf(operands[0]!);
  if (context === undefined || context === '-' || dockerfile === '' || dockerfile === '-') return undefined;
  return {
    base: 'cwd',
    context,
    dockerfile: dockerfile ?? dockerfileBesideContext(context, undefined),
    namedContexts,
  };
}

/** A path word: literal, or starting with the working directory (`$PWD/…`, `"$(pwd)"`); else undefined. */
function pathOf(word: ShellWord): string | undefined {
  if (word.literal) return word.value;
  const rest = word.value.replace(WORKING_DIRECTORY, '.');
  return rest !== word.value && !/[$`]/.test(rest) ? rest.replace(/^\.\//, '') || '.' : undefined;
}

function argumentText(argument: ShellWord | string | undefined): string {
  return typeof argument === 'string' ? argument : (argument?.value ?? '');
}
