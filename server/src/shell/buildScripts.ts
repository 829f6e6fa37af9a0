import * as path from 'node:path';
import type { DockerfileModel } from '../model/dockerfile';
import { shellInvocation } from './programs';
import {
  cleanSource,
  contextSourceOf,
  Copied,
  holdsNothing,
  inContextOf,
  mayHold,
  SnippetCommands,
  Stage,
  StageEvent,
  stagesOf,
} from './stageFiles';
import type { ShellWord } from './words';
import { commandName } from './words';

/**
 * Paths (relative to the build context) of scripts the Dockerfile COPYs or ADDs and then runs in a
 * RUN (`./x.sh`, `/opt/x.sh`, `sh x.sh`, `. x.sh`), in the stage that copied them or in one built
 * FROM it, also after a RUN moved them. Hosts lint those scripts with `shellContext: 'build'`.
 * `commandsOf`: the document's shell analysis (every function here takes it).
 */
export function buildScriptPaths(model: DockerfileModel, commandsOf: SnippetCommands): string[] {
  return distinctSorted(buildScriptRuns(model, commandsOf).map((run) => run.source));
}

/**
 * The scripts of {@link buildScriptPaths}, each with the 0-based line of every RUN that runs it.
 * Worked out once per parse: a host that records a Dockerfile asks for the paths (`scriptUses`)
 * and for the runs' stages (`ScriptRunners`), and the walk over every RUN's commands was about a
 * quarter of such a record.
 */
export function buildScriptRuns(
  model: DockerfileModel,
  commandsOf: SnippetCommands,
): ReadonlyArray<{ readonly source: string; readonly line: number }> {
  return model.memo('buildScriptRuns', () => {
    const runs: Array<{ source: string; line: number }> = [];
    executions(model, commandsOf, 'run', (source, line) => runs.push({ source, line }));
    return runs;
  });
}

/**
 * Paths of scripts the Dockerfile copies in and names in ENTRYPOINT, CMD or HEALTHCHECK (behind
 * init wrappers such as `tini --` or `gosu user`): they run in the container at every start, so
 * what they change is changed in a running container. Files a builder stage prepared and a
 * `COPY --from` brought in count too.
 */
export function entrypointScriptPaths(model: DockerfileModel, commandsOf: SnippetCommands): string[] {
  const sources: string[] = [];
  executions(model, commandsOf, 'start', (source) => sources.push(source));
  return distinctSorted(sources);
}

/**
 * Image folders whose scripts an init system or an official image's entrypoint runs at container
 * start: runit (`/etc/service`, `/etc/sv`), s6-overlay (`/etc/services.d`, `/etc/cont-init.d`,
 * `/etc/s6-overlay/…`), phusion baseimage (`/etc/my_init.d`), and the `docker-entrypoint.d` /
 * `docker-entrypoint-initdb.d` folders of the official nginx and database images.
 */
export const START_UP_FOLDERS = [
  '/etc/service',
  '/etc/sv',
  '/etc/runit/runsvdir',
  '/etc/services.d',
  '/etc/cont-init.d',
  '/etc/cont-finish.d',
  '/etc/s6-overlay/s6-rc.d',
  '/etc/s6-overlay/scripts',
  '/etc/my_init.d',
  '/docker-entrypoint.d',
  '/docker-entrypoint-initdb.d',
];

/**
 * Build-context paths a COPY or ADD puts into a start-up folder: each is a file, a folder (all
 * of it) or a glob, relative to the build context. `COPY service /etc/service` gives `service`;
 * `COPY rootfs/ /` gives `rootfs/etc/services.d`, `rootfs/etc/cont-init.d`, …
 */
export function startupScriptSources(model: DockerfileModel, commandsOf: SnippetCommands): string[] {
  const found = new Set<string>();
  for (const copy of contextCopies(stagesOf(model, commandsOf))) {
    for (const source of copy.sources) {
      const clean = cleanSource(source);
      for (const folder of START_UP_FOLDERS) {
        if (copy.destination === folder || copy.destination.startsWith(folder + '/')) {
          found.add(inContextOf(copy, clean));
        } else if (!/[*?[]/.test(clean) && (copy.destination === '/' || folder.startsWith(copy.destination + '/'))) {
          // A copied folder's contents land in the destination: the start-up folder is inside it.
          found.add(inContextOf(copy, path.posix.join(clean, folder.slice(copy.destination.length))));
        }
      }
    }
  }
  return [...found].sort();
}

/**
 * Build-context files, folders and globs the Dockerfile copies into an image it ships (the last
 * stage, or any stage no other stage builds on or copies from), directly, through the stages it is
 * built FROM, or prepared in a builder stage and taken with `COPY --from`. Scripts among them that
 * the build does not run can only run inside containers of that image — at start (a supervisord
 * or s6 service, a file an entrypoint sources) or on demand — never on a host. A copy of the whole
 * context (`COPY . /app`) names no file and is left out.
 */
export function imageScriptSources(model: DockerfileModel, commandsOf: SnippetCommands): string[] {
  const found = new Set<string>();
  for (const stage of shippedChains(stagesOf(model, commandsOf))) {
    stage.events.forEach((event) => {
      if (event.kind === 'copy') for (const source of namedSources(event.copy)) found.add(source);
      else if (event.kind === 'copy-from') for (const source of preparedSources(event)) found.add(source);
    });
  }
  return [...found].sort();
}

/**
 * Build-context files, folders and globs copied only into builder stages (stages that ship in no
 * image): whatever runs them runs during the build (`make`, a script that calls them).
 */
export function builderScriptSources(model: DockerfileModel, commandsOf: SnippetCommands): string[] {
  const stages = stagesOf(model, commandsOf);
  const shipped = new Set(shippedChains(stages));
  const found = new Set<string>();
  for (const stage of stages) {
    if (shipped.has(stage)) continue;
    for (const event of stage.events) if (event.kind === 'copy') for (const s of namedSources(event.copy)) found.add(s);
  }
  return [...found].sort();
}

/** Stages whose files are in a shipped image: each unreferenced stage and the stages it is built FROM. */
function shippedChains(stages: readonly Stage[]): Stage[] {
  const chain = new Set<Stage>();
  for (const stage of stages) {
    if (stage.referenced) continue;
    for (let s: Stage | undefined = stage; s && !chain.has(s); s = s.parent) chain.add(s);
  }
  return [...chain];
}

function contextCopies(stages: readonly Stage[]): Copied[] {
  return stages.flatMap((s) => s.events.flatMap((e) => (e.kind === 'copy' ? [e.copy] : [])));
}

/** The sources of a COPY that name files or folders (not the whole build context), as listed for hosts. */
function namedSources(copy: Copied): string[] {
  return copy.sources
    .map(cleanSource)
    .filter((s) => s !== '.')
    .map((s) => inContextOf(copy, s));
}

/** Build-context paths a builder stage put (by COPY, then maybe `mv`/`cp`) where a `COPY --from` takes them. */
function preparedSources(event: Extract<StageEvent, { kind: 'copy-from' }>): string[] {
  const found: string[] = [];
  const taken = event.copy.sources.map((written) => {
    const marker = event.parents ? written.indexOf('/./') : -1;
    return path.posix.resolve('/', marker >= 0 ? written.slice(0, marker) + '/' + written.slice(marker + 3) : written);
  });
  const under = (p: string) => taken.some((t) => p === t || p.startsWith(t + '/') || t === '/');
  for (let stage: Stage | undefined = event.from; stage; stage = stage.parent) {
    stage.events.forEach((e, i) => {
      if (e.kind === 'copy') {
        for (const source of namedSources(e.copy)) {
          const landed = e.copy.intoDirectory
            ? path.posix.join(e.copy.destination, path.posix.basename(source))
            : e.copy.destination;
          if (under(landed)) found.push(source);
        }
      } else if (e.kind === 'move') {
        const landed = [e.destination, path.posix.join(e.destination, path.posix.basename(e.source))];
        if (!landed.some(under)) return;
        const source = contextSourceOf(stage, e.source, i);
        if (source !== undefined && source !== '.') found.push(source);
      }
    });
  }
  return found;
}

/** Directories of the default PATH of Linux images, where a bare program name is looked up. */
const PATH_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Each path once, sorted. */
function distinctSorted(paths: readonly string[]): string[] {
  return [...new Set(paths)].sort();
}

function executions(
  model: DockerfileModel,
  commandsOf: SnippetCommands,
  kind: 'run' | 'start',
  found: (source: string, line: number) => void,
): void {
  for (const stage of stagesOf(model, commandsOf)) {
    // Only a file a COPY or ADD brought in counts: the commands of a stage that has none are not
    // analysed (the shell analysis of the RUNs was most of a Dockerfile's record).
    if (holdsNothing(stage)) continue;
    stage.events.forEach((event, i) => {
      if (event.kind !== kind) return;
      // A RUN sees what was copied before it; ENTRYPOINT and CMD see the finished stage.
      const before = kind === 'run' ? i : stage.events.length;
      for (const command of event.commands()) {
        for (const word of executedFiles(command.argv)) {
          const file = event.expand(word.value);
          for (const target of candidateTargets(file, command.argv[0] === word, event.workdir)) {
            if (!mayHold(stage, target)) continue;
            const source = contextSourceOf(stage, target, before);
            if (source !== undefined && source !== '.') found(source, event.line);
          }
        }
      }
    });
  }
}

/** Where an executed file can live: a path against WORKDIR, or a bare program name on PATH. */
function candidateTargets(file: string, isProgram: boolean, workdir: string): string[] {
  if (file.includes('/') || !isProgram) return [path.posix.resolve(workdir, file)];
  return PATH_DIRS.map((dir) => dir + '/' + file);
}

/**
 * A literal word, or one whose only expansions are variables (`${APP_DIR}/run.sh`): a path the
 * stage's ENV may fill in.
 */
export function pathWord(word: ShellWord | undefined): word is ShellWord {
  return !!word && (word.literal || /^(?:[\w./:@%+=,-]|\$\{?[A-Za-z_]\w*\}?)+$/.test(word.value));
}

/** Words naming a file the command executes: the program itself, `sh file`, `. file`, `source file`. */
export function executedFiles(argv: readonly ShellWord[]): ShellWord[] {
  const first = argv[0];
  if (!pathWord(first)) return [];
  const name = commandName(first);
  // Any program may be a copied script found on PATH (`COPY docker-php-ext-* /usr/local/bin/`);
  // it only counts when a COPY put a file there.
  const files: ShellWord[] = [];
  if (first.value.includes('/') || /^[\w.-]+$/.test(first.value)) files.push(first);
  const shell = shellInvocation(argv);
  if (shell?.kind === 'file' && pathWord(shell.file)) files.push(shell.file);
  if ((name === '.' || name === 'source') && pathWord(argv[1])) files.push(argv[1]);
  return files;
}
