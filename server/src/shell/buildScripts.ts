import { Add, Copy, From, Workdir } from 'dockerfile-ast';
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { DockerfileModel } from '../model/dockerfile';
import { snippetCommands } from './analyse';
import { dockerfileShell } from './embed/dockerfile';
import { shellInvocation } from './programs';
import { commandName } from './words';
import type { ShellWord } from './words';
import type { ShellSnippet } from './snippet';

interface Copied {
  sources: string[];
  destination: string;
  intoDirectory: boolean;
}

/**
 * Paths (relative to the Dockerfile's folder, the usual build context) of scripts the Dockerfile
 * COPYs or ADDs and then runs in a RUN (`./x.sh`, `/opt/x.sh`, `sh x.sh`, `. x.sh`). Hosts lint
 * those scripts with `shellContext: 'build'`. Needs `initShellAnalyzer` (throws before it).
 */
export function buildScriptPaths(model: DockerfileModel): string[] {
  return scriptsRunBy(model, ['RUN']);
}

/**
 * Paths of scripts the Dockerfile COPYs or ADDs and names in ENTRYPOINT or CMD: they run in the
 * container at every start, so what they change is changed in a running container.
 */
export function entrypointScriptPaths(model: DockerfileModel): string[] {
  return scriptsRunBy(model, ['ENTRYPOINT', 'CMD']);
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
 * of it) or a glob, relative to the Dockerfile's folder. `COPY service /etc/service` gives
 * `service`; `COPY rootfs/ /` gives `rootfs/etc/services.d`, `rootfs/etc/cont-init.d`, …
 */
export function startupScriptSources(model: DockerfileModel): string[] {
  const found = new Set<string>();
  forEachCopy(model, (copy) => {
    for (const source of copy.sources) {
      const clean = path.posix.normalize(source).replace(/^\.\//, '').replace(/\/$/, '') || '.';
      for (const folder of START_UP_FOLDERS) {
        if (copy.destination === folder || copy.destination.startsWith(folder + '/')) {
          found.add(clean);
        } else if (!/[*?[]/.test(clean) && (copy.destination === '/' || folder.startsWith(copy.destination + '/'))) {
          // A copied folder's contents land in the destination: the start-up folder is inside it.
          found.add(path.posix.join(clean, folder.slice(copy.destination.length)));
        }
      }
    }
  });
  return [...found].sort();
}

/** Calls `visit` for every COPY or ADD of build-context files, with the WORKDIR at that point. */
function forEachCopy(
  model: DockerfileModel,
  visit: (copy: Copied) => void,
  onOther?: (instruction: DockerfileModel['instructions'][number], workdir: string) => void,
): void {
  let workdir = '/';
  for (const instruction of model.instructions) {
    if (instruction instanceof From) workdir = '/';
    if (instruction instanceof Workdir) {
      const dir = instruction.getArgumentsContent()?.trim();
      if (dir) workdir = path.posix.resolve(workdir, dir);
      continue;
    }
    if (instruction instanceof Copy || instruction instanceof Add) {
      if (instruction.getFlags().some((f) => f.getName().toLowerCase() === 'from')) continue;
      const args = instruction.getArguments().map((a) => a.getValue());
      if (args.length < 2 || args[0]!.startsWith('[')) continue;
      const destination = args[args.length - 1]!;
      const sources = args.slice(0, -1).filter((s) => !/^[a-z]+:\/\//i.test(s) && !s.startsWith('git@'));
      visit({
        sources,
        destination: path.posix.resolve(workdir, destination),
        intoDirectory: destination.endsWith('/') || sources.length > 1,
      });
      continue;
    }
    onOther?.(instruction, workdir);
  }
}

function scriptsRunBy(model: DockerfileModel, keywords: readonly string[]): string[] {
  // Shell snippets per instruction, computed once per model for both lookups.
  const runs = model.memo(
    'shellByInstruction',
    () => new Map<unknown, ShellSnippet[]>(dockerfileShell(model).map((i) => [i.instruction, i.snippets])),
  );
  const found = new Set<string>();
  let copies: Copied[] = [];
  forEachCopy(
    model,
    (copy) => copies.push(copy),
    (instruction, workdir) => {
      if (instruction instanceof From) {
        copies = [];
        return;
      }
      const snippets = runs.get(instruction);
      if (!snippets || copies.length === 0 || !keywords.includes(instruction.getKeyword().toUpperCase())) return;
      if (!mentionsACopy(model.source.textOf(instruction.getRange()), copies)) return;
      for (const command of snippetCommands(snippets, model.source)) {
        for (const word of executedFiles(command.argv)) {
          for (const target of candidateTargets(word, command.argv[0] === word, workdir)) {
            for (const copy of copies) {
              const source = sourceFor(copy, target);
              if (source) found.add(source);
            }
          }
        }
      }
    },
  );
  return [...found].sort();
}

/** Directories of the default PATH of Linux images, where a bare program name is looked up. */
const PATH_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Where an executed word can live: a path against WORKDIR, or a bare program name on PATH. */
function candidateTargets(word: ShellWord, isProgram: boolean, workdir: string): string[] {
  if (word.value.includes('/') || !isProgram) return [path.posix.resolve(workdir, word.value)];
  return PATH_DIRS.map((dir) => path.posix.join(dir, word.value));
}

/** Words naming a file the command executes: the program itself, `sh file`, `. file`, `source file`. */
function executedFiles(argv: readonly ShellWord[]): ShellWord[] {
  const first = argv[0];
  if (!first || !first.literal) return [];
  const name = commandName(first);
  // Any program may be a copied script found on PATH (`COPY docker-php-ext-* /usr/local/bin/`);
  // it only counts when a COPY put a file there.
  const files: ShellWord[] = [];
  if (first.value.includes('/') || /^[\w.-]+$/.test(first.value)) files.push(first);
  const shell = shellInvocation(argv);
  if (shell?.kind === 'file' && shell.file.literal) files.push(shell.file);
  if ((name === '.' || name === 'source') && argv[1]?.literal) files.push(argv[1]);
  return files;
}

/**
 * Cheap pre-check before analysing an instruction's shell: does its text name anything a COPY
 * brought in (a source or destination name, or the fixed prefix of a glob)? `COPY . …` matches all.
 */
function mentionsACopy(text: string, copies: readonly Copied[]): boolean {
  for (const copy of copies) {
    const names = [...copy.sources, copy.destination].map((p) =>
      path.posix.basename(path.posix.normalize(p).replace(/\/$/, '')),
    );
    for (const name of names) {
      const fixed = name.split(/[*?[]/)[0]!;
      if (fixed === '' || fixed === '.' || fixed === '/' || text.includes(fixed)) return true;
    }
  }
  return false;
}

/** The build-context path copied to `target`, if this COPY put it there. */
function sourceFor(copy: Copied, target: string): string | undefined {
  for (const source of copy.sources) {
    const clean = path.posix.normalize(source).replace(/^\.\//, '').replace(/\/$/, '');
    if (!copy.intoDirectory && target === copy.destination) return clean;
    const base = path.posix.basename(target);
    if (
      copy.intoDirectory &&
      path.posix.dirname(target) === copy.destination &&
      picomatch(path.posix.basename(clean))(base)
    ) {
      return path.posix.join(path.posix.dirname(clean), base);
    }
    // A copied directory: `COPY scripts/ /opt/scripts/` + `RUN /opt/scripts/setup.sh`.
    if (!/[*?[]/.test(clean) && target.startsWith(copy.destination + '/')) {
      const rest = target.slice(copy.destination.length + 1);
      if (!copy.intoDirectory || source.endsWith('/') || !path.posix.extname(clean))
        return clean === '.' ? rest : path.posix.join(clean, rest);
    }
  }
  return undefined;
}
