import {
  Add,
  Arg,
  Cmd,
  Copy,
  Entrypoint,
  Env,
  From,
  Healthcheck,
  Instruction,
  Onbuild,
  Run,
  Workdir,
} from 'dockerfile-ast';
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { DockerfileModel } from '../model/dockerfile';
import { transferOf } from '../model/transfer';
import { dockerfileShell } from './embed/dockerfile';
import type { ShellSnippet } from './snippet';
import type { ShellCommand } from './types';
import { commandName } from './words';
import { firstOperand } from './options';

/** A COPY or ADD of build-context files: context paths as written, destination resolved against WORKDIR. */
export interface Copied {
  sources: string[];
  /**
   * `COPY --from=<name>` where no stage has that name: a named build context (or an image) the
   * sources are taken from; absent for the build context itself.
   */
  context?: string;
  destination: string;
  /** The destination is a folder the sources go into (`/opt/`, or several sources). */
  intoDirectory: boolean;
}

/** What happens to a stage's files, in order. */
export type StageEvent =
  | { kind: 'copy'; copy: Copied }
  /** `COPY --from=<stage>`: files of an earlier stage; `parents` keeps the path after `/./` (`--parents`). */
  | { kind: 'copy-from'; from: Stage; copy: Copied; parents: boolean }
  /** `mv`/`cp` of image paths in a RUN (paths resolved against WORKDIR and `cd`). */
  | { kind: 'move'; source: string; destination: string }
  /**
   * A RUN (build) or an ENTRYPOINT/CMD/HEALTHCHECK (container start): shell that may execute files.
   * `expand` puts the stage's ENV and ARG values into a word (`${APP_DIR}/run.sh`).
   */
  | {
      kind: 'run' | 'start';
      commands: () => ShellCommand[];
      workdir: string;
      expand: (text: string) => string;
      /** 0-based line of the instruction. */
      line: number;
    };

/** One build stage: its events, the stage it is built FROM (if any), and whether a later stage uses it. */
export interface Stage {
  name?: string;
  parent?: Stage;
  events: StageEvent[];
  /** A later stage builds FROM it or copies or mounts from it: a builder, not (only) an image of its own. */
  referenced: boolean;
  workdir: string;
  /** ENV and ARG instructions in effect (the parent stage's first). */
  env: StageEnv;
}

/**
 * The ENV and ARG values of a stage, parsed only when a path uses a variable: most never do, and
 * dockerfile-ast's property parsing is a noticeable part of a Dockerfile's analysis.
 */
class StageEnv {
  private readonly maps = new Map<number, Map<string, string>>();

  constructor(
    private readonly model: DockerfileModel,
    readonly declarations: Array<Env | Arg> = [],
  ) {}

  child(): StageEnv {
    return new StageEnv(this.model, [...this.declarations]);
  }

  /** `text` with the values of the first `count` declarations (all by default) put in. */
  expand(text: string, count = this.declarations.length): string {
    return text.includes('$') ? expandVariables(text, this.valuesAt(count)) : text;
  }

  private valuesAt(count: number): Map<string, string> {
    let values = this.maps.get(count);
    if (!values) {
      values = new Map();
      for (const instruction of this.declarations.slice(0, count)) {
        for (const property of instruction.getProperties()) {
          const value =
            property.getValue() ??
            (instruction instanceof Arg ? this.model.globalArgs.get(property.getName())?.value : null);
          if (value !== null && value !== undefined) values.set(property.getName(), expandVariables(value, values));
        }
      }
      this.maps.set(count, values);
    }
    return values;
  }
}

const URL_SOURCE = /^[a-z][a-z0-9+.-]*:\/\/|^git@/i;

/** A `--from` value that may name a build context (image references with a registry, path or tag do not). */
const CONTEXT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * How a path in a named build context is written where build-context paths are listed
 * (`context://templates/entrypoint.sh`): hosts that know where the context `templates` is resolve
 * it there. A cleaned build-context path never looks like this (`//` does not survive normalising).
 */
const NAMED_CONTEXT = 'context://';

/** A path taken from `copy`'s context: as is for the build context, `context://<name>/<path>` for a named one. */
export function inContextOf(copy: Copied, contextPath: string): string {
  return copy.context === undefined ? contextPath : `${NAMED_CONTEXT}${copy.context}/${contextPath}`;
}

/** The named build context and the path in it, for a path written by {@link inContextOf}. */
export function namedContextPath(listed: string): { context: string; path: string } | undefined {
  if (!listed.startsWith(NAMED_CONTEXT)) return undefined;
  const rest = listed.slice(NAMED_CONTEXT.length);
  const slash = rest.indexOf('/');
  return slash > 0 ? { context: rest.slice(0, slash), path: rest.slice(slash + 1) } : undefined;
}

/**
 * The stages of a Dockerfile with the file events of each: which build-context files a COPY or ADD
 * puts where, what a `COPY --from` takes from an earlier stage, what RUN moves or copies, and the
 * shell of RUN and ENTRYPOINT/CMD. ONBUILD triggers run in other builds and add no events.
 * Computed once per parse; `commandsOf` (the document's shell analysis) is asked only for the
 * instructions a lookup reaches.
 */
export function stagesOf(model: DockerfileModel, commandsOf: SnippetCommands): Stage[] {
  return model.memo('stages', () => computeStages(model, commandsOf));
}

/** The commands of some of a document's snippets (analysed once per document). */
export type SnippetCommands = (snippets: readonly ShellSnippet[]) => ShellCommand[];

function computeStages(model: DockerfileModel, commandsOf: SnippetCommands): Stage[] {
  const shellOf = new Map<Instruction, ShellSnippet[]>(dockerfileShell(model).map((i) => [i.instruction, i.snippets]));
  const triggers = new Set<Instruction>();
  for (const instruction of model.instructions) {
    if (instruction instanceof Onbuild) {
      const trigger = instruction.getTriggerInstruction();
      if (trigger) triggers.add(trigger);
    }
  }
  const stages: Stage[] = [];
  const byName = new Map<string, Stage>();
  const stageNamed = (name: string | undefined): Stage | undefined => {
    if (!name) return undefined;
    const lower = name.toLowerCase();
    return byName.get(lower) ?? (/^\d+$/.test(lower) ? stages[Number(lower)] : undefined);
  };
  let stage: Stage | undefined;
  for (const instruction of model.instructions) {
    // An ONBUILD COPY copies from another build's context; an ONBUILD RUN still runs at a build.
    if (triggers.has(instruction) && !(instruction instanceof Run)) continue;
    if (instruction instanceof From) {
      const parent = stageNamed(instruction.getImage() ?? undefined);
      if (parent) parent.referenced = true;
      const name = instruction.getBuildStage()?.toLowerCase();
      stage = {
        events: [],
        referenced: false,
        workdir: parent?.workdir ?? '/',
        env: parent ? parent.env.child() : new StageEnv(model),
        ...(parent ? { parent } : {}),
      };
      if (name) {
        stage.name = name;
        byName.set(name, stage);
      }
      stages.push(stage);
      continue;
    }
    if (!stage) continue;
    const env = stage.env;
    if (instruction instanceof Env || instruction instanceof Arg) {
      env.declarations.push(instruction);
      continue;
    }
    if (instruction instanceof Workdir) {
      const dir = instruction.getArgumentsContent()?.trim();
      if (dir) stage.workdir = path.posix.resolve(stage.workdir, env.expand(dir));
      continue;
    }
    if (instruction instanceof Copy || instruction instanceof Add) {
      const flags = instruction.getFlags();
      const fromFlag = flags.find((f) => f.getName().toLowerCase() === 'from');
      const transfer = transferOf(instruction);
      if (!transfer) continue;
      const written = env.expand(transfer.destination.value);
      const sources = transfer.sources.map((s) => env.expand(s.value)).filter((s) => !URL_SOURCE.test(s));
      if (sources.length === 0) continue;
      const copy: Copied = {
        sources,
        destination: path.posix.resolve(stage.workdir, written),
        intoDirectory: /(?:^|\/)\.{0,2}$/.test(written) || transfer.sources.length > 1,
      };
      if (!fromFlag) {
        stage.events.push({ kind: 'copy', copy });
        continue;
      }
      const fromValue = env.expand(fromFlag.getValue() ?? '');
      const from = stageNamed(fromValue);
      if (!from) {
        if (CONTEXT_NAME.test(fromValue)) stage.events.push({ kind: 'copy', copy: { ...copy, context: fromValue } });
        continue;
      }
      from.referenced = true;
      const parents = flags.some((f) => f.getName().toLowerCase() === 'parents');
      stage.events.push({ kind: 'copy-from', from, copy, parents });
      continue;
    }
    if (instruction instanceof Run) {
      for (const flag of instruction.getFlags()) {
        if (flag.getName().toLowerCase() === 'mount') {
          const used = stageNamed(flag.getOption('from')?.getValue() ?? undefined);
          if (used) used.referenced = true;
        }
      }
    }
    const snippets = shellOf.get(instruction);
    if (!snippets) continue;
    const commands = lazyCommands(snippets, commandsOf);
    const declared = env.declarations.length;
    const expand = (text: string) => env.expand(text, declared);
    const isRun = instruction instanceof Run || instruction.getKeyword().toUpperCase() === 'RUN';
    const starts =
      instruction instanceof Cmd || instruction instanceof Entrypoint || instruction instanceof Healthcheck;
    const line = instruction.getRange().start.line;
    if (isRun) {
      stage.events.push({ kind: 'run', commands, workdir: stage.workdir, expand, line });
      if (/\b(?:mv|cp)\b/.test(model.source.textOf(instruction.getRange())))
        for (const move of movesIn(commands(), stage.workdir)) stage.events.push(move);
    } else if (starts) stage.events.push({ kind: 'start', commands, workdir: stage.workdir, expand, line });
  }
  return stages;
}

const VARIABLE = /\$(?:\{([A-Za-z_]\w*)(?::?[-=]([^}]*))?\}|([A-Za-z_]\w*))/g;

/**
 * `$NAME`, `${NAME}` and `${NAME:-default}` replaced by known values (defaults when unknown);
 * others stay as written, so the same unknown variable in a COPY and a RUN still names one path.
 */
export function expandVariables(text: string, env: ReadonlyMap<string, string>): string {
  if (!text.includes('$')) return text;
  return text.replace(VARIABLE, (written, braced?: string, fallback?: string, bare?: string) => {
    const value = env.get(braced ?? bare!);
    return value ?? fallback ?? written;
  });
}

function lazyCommands(snippets: readonly ShellSnippet[], commandsOf: SnippetCommands): () => ShellCommand[] {
  let commands: ShellCommand[] | undefined;
  return () => (commands ??= commandsOf(snippets));
}

const CP_VALUED = { shortValued: 'St', longValued: ['--suffix', '--target-directory'] };

/** `mv`/`cp` with literal operands, in order, following `cd` to a literal folder. */
function movesIn(commands: readonly ShellCommand[], workdir: string): StageEvent[] {
  const moves: StageEvent[] = [];
  let cwd = workdir;
  for (const command of commands) {
    if (command.place !== 'image') continue;
    const argv = command.argv;
    const name = commandName(argv[0]);
    if (name === 'cd' && argv.length === 2 && argv[1]!.literal) {
      cwd = path.posix.resolve(cwd, argv[1]!.value);
      continue;
    }
    if (name !== 'mv' && name !== 'cp') continue;
    const operands: string[] = [];
    for (let i = firstOperand(argv, 1, CP_VALUED); i < argv.length; i = firstOperand(argv, i + 1, CP_VALUED)) {
      const word = argv[i]!;
      if (!word.literal || /[*?[]/.test(word.value)) {
        operands.length = 0;
        break;
      }
      operands.push(word.value);
    }
    if (operands.length < 2) continue;
    const destination = path.posix.resolve(cwd, operands[operands.length - 1]!);
    for (const source of operands.slice(0, -1))
      moves.push({ kind: 'move', source: path.posix.resolve(cwd, source), destination });
  }
  return moves;
}

/** Where a stage's events can put files: exact paths, folders whose contents they fill, folders a name glob fills. */
interface Reach {
  files: Set<string>;
  folders: string[];
  globFolders: Set<string>;
}

/** Reaches worked out so far, by stage: memos only, so a stage object carries no hidden field. */
const REACH = new WeakMap<Stage, Reach>();

/**
 * Whether any event of the stage (or of the stages it is built FROM) can have put a file at
 * `target`: a cheap test before following the file back, which most executed words (`apt-get`,
 * `make`) fail.
 */
export function mayHold(stage: Stage, target: string): boolean {
  const reach = chainReachOf(stage);
  if (reach.files.has(target)) return true;
  const slash = target.lastIndexOf('/');
  if (reach.globFolders.has(slash > 0 ? target.slice(0, slash) : '/')) return true;
  return reach.folders.some((folder) => target.startsWith(folder === '/' ? '/' : folder + '/'));
}

/**
 * Whether no file of the build context can be in `stage` (no COPY or ADD into it or the stages it
 * is built FROM): `mayHold` is false for every path, so no command of it runs a copied script.
 */
export function holdsNothing(stage: Stage): boolean {
  const reach = chainReachOf(stage);
  return reach.files.size === 0 && reach.globFolders.size === 0 && reach.folders.length === 0;
}

const CHAIN_REACH = new WeakMap<Stage, Reach>();

/** The reach of a stage together with the stages it is built FROM. */
function chainReachOf(stage: Stage): Reach {
  const known = CHAIN_REACH.get(stage);
  if (known) return known;
  const own = reachOf(stage);
  let reach = own;
  if (stage.parent) {
    const inherited = chainReachOf(stage.parent);
    reach = {
      files: new Set([...inherited.files, ...own.files]),
      folders: [...new Set([...inherited.folders, ...own.folders])],
      globFolders: new Set([...inherited.globFolders, ...own.globFolders]),
    };
  }
  CHAIN_REACH.set(stage, reach);
  return reach;
}

function reachOf(stage: Stage): Reach {
  const known = REACH.get(stage);
  if (known) return known;
  const reach: Reach = { files: new Set(), folders: [], globFolders: new Set() };
  const landing = (sources: readonly string[], destination: string, moved: boolean) => {
    for (const source of sources) {
      const base = path.posix.basename(source.replace(/\/+$/, ''));
      if (/[*?[]/.test(base)) reach.globFolders.add(destination);
      reach.files.add(destination);
      reach.files.add(path.posix.join(destination, base));
      // A folder's contents land in the destination (a moved folder may also land inside it).
      if (isFolderLike(source) && !reach.folders.includes(destination)) reach.folders.push(destination);
      if (isFolderLike(source) && moved) reach.folders.push(path.posix.join(destination, base));
    }
  };
  for (const event of stage.events) {
    if (event.kind === 'copy' || event.kind === 'copy-from') {
      const { sources, destination } = event.copy;
      landing(event.kind === 'copy-from' && event.parents ? ['*/'] : sources, destination, false);
    } else if (event.kind === 'move') landing([event.source], event.destination, true);
  }
  REACH.set(stage, reach);
  return reach;
}

/**
 * The build-context path (as written in the COPY, relative to the context) of the file at
 * `imagePath` in `stage` just before event `before`: followed back through RUN `mv`/`cp`,
 * `COPY --from` of earlier stages and the stage a `FROM` builds on. Undefined when no COPY of the
 * build context put it there.
 */
export function contextSourceOf(
  stage: Stage,
  imagePath: string,
  before = stage.events.length,
  depth = 0,
): string | undefined {
  if (depth > 16) return undefined;
  let target = imagePath;
  for (let i = Math.min(before, stage.events.length) - 1; i >= 0; i--) {
    const event = stage.events[i]!;
    if (event.kind === 'copy') {
      const source = sourceFor(event.copy, target);
      if (source !== undefined) return source;
    } else if (event.kind === 'copy-from') {
      const inner = pathInSource(event.copy, target, event.parents);
      if (inner !== undefined) return contextSourceOf(event.from, inner, undefined, depth + 1);
    } else if (event.kind === 'move') {
      const moved = movedFrom(event.source, event.destination, target);
      if (moved !== undefined) target = moved;
    }
  }
  return stage.parent ? contextSourceOf(stage.parent, target, undefined, depth + 1) : undefined;
}

/**
 * Where `target` was before `mv|cp source destination`: the destination is the file's new name or
 * the folder it went into; a moved folder takes everything under it along.
 */
function movedFrom(source: string, destination: string, target: string): string | undefined {
  const inside = path.posix.join(destination, path.posix.basename(source));
  if (target === destination || target === inside) return source;
  for (const landed of [inside, destination])
    if (target.startsWith(landed + '/')) return source + target.slice(landed.length);
  return undefined;
}

/** For a `COPY --from`: the path in the other stage that ends up at `target`, if this copy put it there. */
function pathInSource(copy: Copied, target: string, parents: boolean): string | undefined {
  for (const written of copy.sources) {
    const source = path.posix.resolve('/', written);
    if (parents) {
      // `--parents /app/./usr/sbin/ /`: the part after `/./` is kept under the destination.
      const marker = written.indexOf('/./');
      const kept = marker >= 0 ? written.slice(marker + 3) : written.replace(/^\/+/, '');
      const landed = path.posix.join(copy.destination, kept).replace(/\/$/, '');
      const base = marker >= 0 ? path.posix.resolve('/', written.slice(0, marker)) : '/';
      if (target === landed || target.startsWith(landed + '/'))
        return path.posix.join(base, kept, target.slice(landed.length));
      continue;
    }
    if (!copy.intoDirectory && target === copy.destination) return source;
    if (copy.intoDirectory && target === path.posix.join(copy.destination, path.posix.basename(source))) return source;
    // A folder's contents land in the destination.
    if (target.startsWith(copy.destination + '/'))
      return path.posix.join(source, target.slice(copy.destination.length));
  }
  return undefined;
}

/**
 * The build-context path copied to `target`, if this COPY put it there. A destination without a
 * trailing slash may still be a folder that exists in the image (`COPY run.sh /usr/local/bin`).
 */
export function sourceFor(copy: Copied, target: string): string | undefined {
  const found = contextPathFor(copy, target);
  return found === undefined || found === '.' ? found : inContextOf(copy, found);
}

function contextPathFor(copy: Copied, target: string): string | undefined {
  for (const source of copy.sources) {
    const clean = cleanSource(source);
    if (!copy.intoDirectory && target === copy.destination) return clean;
    const base = path.posix.basename(target);
    if (path.posix.dirname(target) === copy.destination && nameMatcher(path.posix.basename(clean))(base))
      return path.posix.join(path.posix.dirname(clean), base);
    // A copied directory's contents: `COPY scripts/ /opt/scripts/` + `RUN /opt/scripts/setup.sh`.
    if (!/[*?[]/.test(clean) && target.startsWith(copy.destination + '/')) {
      const rest = target.slice(copy.destination.length + 1);
      if (isFolderLike(source)) return clean === '.' ? rest : path.posix.join(clean, rest);
    }
  }
  return undefined;
}

/** Whether a COPY source may be a folder: `dir/`, `.`, a name without extension, a `conf.d`-style folder. */
function isFolderLike(source: string): boolean {
  const clean = cleanSource(source);
  const ext = path.posix.extname(clean);
  return source.endsWith('/') || clean === '.' || ext === '' || ext === '.d';
}

const nameMatchers = new Map<string, (name: string) => boolean>();

/** A compiled matcher for a file name or name glob (`*.sh`); plain names compare as strings. */
function nameMatcher(pattern: string): (name: string) => boolean {
  if (!/[*?[]/.test(pattern)) return (name) => name === pattern;
  let matcher = nameMatchers.get(pattern);
  if (!matcher) {
    if (nameMatchers.size >= 512) nameMatchers.clear();
    matcher = picomatch(pattern, { dot: true });
    nameMatchers.set(pattern, matcher);
  }
  return matcher;
}

/** A COPY source as a context path: `./a/` → `a`, `.` stays `.`. */
export function cleanSource(source: string): string {
  return path.posix.normalize(source).replace(/^\.\//, '').replace(/^\/+/, '').replace(/\/$/, '') || '.';
}
