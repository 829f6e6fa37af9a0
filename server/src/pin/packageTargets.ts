import { Add, Arg, Copy, Env, From, Instruction } from 'dockerfile-ast';
import type { Position, Range } from '../engine/types';
import type { DocumentModel } from '../engine/documentModel';
import { interpolate } from '../model/interpolate';
import { dockerfile as dockerfileKind } from '../kinds/dockerfile';
import type { ShellCommand } from '../shell';
import { hasOption, optionValue } from '../shell/options';
import { packageOperation, PackageFamily, PackageOperation } from '../shell/packages';
import { commandName, rangeInWord, ShellWord } from '../shell/words';

/** Where the version of a package is read from. */
export type PinEcosystem = 'os' | 'pypi' | 'npm' | 'rubygems';

/** The image a build stage starts from, as far as the Dockerfile tells. */
export interface StageBase {
  /** The reference after ARG defaults, e.g. `python:3.12-slim`. */
  reference: string;
  /** The FROM's `--platform`, when a literal one is given. */
  platform?: string;
  /** 0-based line of the FROM that names it. */
  line: number;
}

/**
 * One unpinned package of an image build and everything a pin needs besides the network: the name
 * to look up, where the version goes, the stage's base image and the index the file names. `blocked`
 * says why no version can be written without guessing (another apt source, a pre-release flag, …).
 */
export interface PackageTarget {
  /** The word as written, without quotes (`flask[async]`). */
  written: string;
  /** The name looked up (`flask`, `@types/node`). */
  name: string;
  family: PackageFamily;
  ecosystem?: PinEcosystem;
  /** The finding's range: the package name. */
  range: Range;
  /** Where the version text is inserted: right after the name. */
  insertAt: Position;
  /** The RUN (or script) holding the install: fixes pin a whole instruction at once. */
  instruction: { line: number; keyword: string };
  base?: StageBase;
  /** The Python the command names (`python3.11 -m pip`, `pip3.11`): Requires-Python is checked against it. */
  python?: string;
  /** Indexes the file names for this install (pip `--index-url`/PIP_INDEX_URL, npm `--registry`, gem `--source`). */
  fileIndexes?: string[];
  blocked?: string;
}

const APT_NAME = /^[a-z0-9][a-z0-9+.-]+$/;
const APK_NAME = /^[A-Za-z0-9][\w.+-]*$/;
const PIP_NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(\[[A-Za-z0-9._, -]*\])?$/;
const NPM_NAME = /^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i;
const GEM_NAME = /^[A-Za-z0-9][\w.-]*$/;

const ECOSYSTEM: Partial<Record<PackageFamily, PinEcosystem>> = {
  apt: 'os',
  apk: 'os',
  pip: 'pypi',
  npm: 'npm',
  gem: 'rubygems',
};

/** A build stage as far as an install in it is concerned: base image, environment, what it set up before. */
export interface StageState {
  base?: StageBase;
  env: Map<string, string>;
  /** Line of the first COPY/ADD that puts an apt or apk source or preference into the image. */
  sourceChange?: { line: number; what: string };
  /** A package.json was copied into the image. */
  packageJson: boolean;
}

/**
 * The build stage a script runs in, as told by the Dockerfiles that run it (see ScriptRunners):
 * the stage at the RUN that runs it, and why its OS packages cannot be pinned when they cannot.
 */
export interface ScriptRunner {
  stage?: StageState;
  /** Set when no base image can be told (no Dockerfile here runs the script, or several on different bases). */
  osReason?: string;
}

/**
 * Every unpinned package install of a document's image build, in document order. A script's
 * installs take the stage of the Dockerfile RUN that runs it (`runner`).
 */
export function packageTargets(model: DocumentModel, runner?: ScriptRunner): PackageTarget[] {
  return runner ? collectTargets(model, runner) : model.memo('packageTargets', () => collectTargets(model, undefined));
}

/** The stage of a Dockerfile at a line, as an install on that line sees it. */
export function stageAt(model: DocumentModel, line: number): StageState | undefined {
  return stageMap(model).at(line)?.stage;
}

/** The target a `package-unpinned` finding (by its range) is about. */
export function targetAt(targets: readonly PackageTarget[], range: Range): PackageTarget | undefined {
  return targets.find(
    (t) =>
      t.range.start.line === range.start.line &&
      t.range.start.character === range.start.character &&
      t.range.end.line === range.end.line &&
      t.range.end.character === range.end.character,
  );
}

function collectTargets(model: DocumentModel, runner: ScriptRunner | undefined): PackageTarget[] {
  const stages = stageMap(model);
  const analysis = model.shell;
  const commands = analysis.commands.filter((c) => c.context === 'build');
  const redirects = analysis.redirects.filter((r) => r.context === 'build');
  const targets: PackageTarget[] = [];
  for (let index = 0; index < commands.length; index++) {
    const command = commands[index]!;
    const operation = packageOperation(command);
    if (!operation || operation.action !== 'install') continue;
    const located = stages.at(command.range.start.line);
    const stage: StageState = located?.stage ?? runner?.stage ?? { env: new Map(), packageJson: false };
    const instruction = located
      ? { line: located.instruction.getRange().start.line, keyword: located.instruction.getKeyword().toUpperCase() }
      : { line: command.range.start.line, keyword: 'command' };
    const sameStage = (line: number) => !located || stages.at(line)?.live === located.live;
    const earlier = commands.slice(0, index).filter((c) => sameStage(c.range.start.line));
    const start = model.source.offsetAt(command.range.start);
    const redirected = redirects
      .filter((r) => model.source.offsetAt(r.range.start) < start && sameStage(r.range.start.line))
      .map((r) => ({ line: r.range.start.line, target: r.target.value, operator: r.operator }));
    const commandBlock = blockedCommand(operation, command, stage, earlier, redirected);
    for (const { word, pinned } of operation.packages) {
      if (pinned) continue;
      const written = word.value;
      const target: PackageTarget = {
        written,
        name: written,
        family: operation.family,
        range: rangeInWord(word, 0, written.length, model.source),
        insertAt: model.source.positionAt(word.offsets[written.length - 1]! + 1),
        instruction,
        ...(stage.base ? { base: stage.base } : {}),
      };
      const ecosystem = ECOSYSTEM[operation.family];
      if (ecosystem) target.ecosystem = ecosystem;
      const python = /^(?:pip|python|py)(\d+\.\d+)\b/.exec(operation.manager)?.[1];
      if (operation.family === 'pip' && python) target.python = python;
      const indexes = fileIndexes(operation, command, stage);
      if (indexes.length > 0) target.fileIndexes = indexes;
      const osReason =
        !located && (operation.family === 'apt' || operation.family === 'apk') ? runner?.osReason : undefined;
      const blocked = commandBlock ?? osReason ?? blockedName(target, word);
      if (blocked) target.blocked = blocked;
      targets.push(target);
    }
  }
  return targets;
}

/** Why a whole install command cannot be pinned from the standard archives, if it cannot. */
function blockedCommand(
  operation: PackageOperation,
  command: ShellCommand,
  stage: StageState,
  earlier: readonly ShellCommand[],
  redirected: ReadonlyArray<{ line: number; target: string; operator: string }>,
): string | undefined {
  const redirect = (test: RegExp) => {
    const found = redirected.find((r) => test.test(r.target));
    return found && { line: found.line, what: `${found.operator} ${found.target}` };
  };
  const argv = command.argv;
  switch (operation.family) {
    case 'apt': {
      if (optionValue(argv, ['-t', '--target-release', '--default-release']) !== undefined)
        return (
          'installs from a target release (-t): ' +
          'DriftGuard reads only the release and its -updates and -security suites'
        );
      const source =
        stage.sourceChange ??
        earlier.map(addsAptSource).find((s) => s) ??
        redirect(/^\/etc\/apt\/(?:sources\.list\.d\/|preferences)/);
      if (source)
        return (
          `the build adds apt sources or preferences (${source.what}, line ${source.line + 1}): ` +
          'the version may come from them'
        );
      return undefined;
    }
    case 'apk': {
      if (optionValue(argv, ['-X', '--repository']) !== undefined)
        return 'installs from another repository (--repository)';
      const source =
        stage.sourceChange ?? earlier.map(addsApkRepository).find((s) => s) ?? redirect(/^\/etc\/apk\/repositories$/);
      if (source)
        return (
          `the build changes /etc/apk/repositories (${source.what}, line ${source.line + 1}): ` +
          'the version may come from there'
        );
      return undefined;
    }
    case 'pip':
      if (hasOption(argv, ['--pre'])) return 'pip --pre installs pre-releases too';
      if (hasOption(argv, ['--no-index'])) return 'pip --no-index installs from local files';
      if (['-i', '--index-url', '--extra-index-url'].some((o) => optionIsVariable(argv, o)))
        return 'the package index is given by a variable';
      return undefined;
    case 'npm':
      if (!operation.global && stage.packageJson)
        return 'installs into a project whose package.json was copied in: pin the version in package.json';
      if (optionIsVariable(argv, '--registry')) return 'the registry is given by a variable';
      return undefined;
    case 'gem':
      if (hasOption(argv, ['--pre', '--prerelease'])) return 'gem --pre installs pre-releases too';
      if (hasOption(argv, ['--clear-sources'])) return 'gem --clear-sources changes where gems come from';
      return undefined;
    default:
      return `${operation.manager} packages are not pinned automatically yet (apt, apk, pip, npm and gem are)`;
  }
}

function blockedName(target: PackageTarget, word: ShellWord): string | undefined {
  const value = word.value;
  switch (target.family) {
    case 'apt':
      if (!APT_NAME.test(value)) return `${value} is not a plain package name (architecture, release or pattern)`;
      return undefined;
    case 'apk':
      if (!APK_NAME.test(value)) return `${value} is not a plain package name (a repository tag or pattern)`;
      return undefined;
    case 'pip': {
      const m = PIP_NAME.exec(value);
      if (!m) return `${value} is not a project name on an index`;
      target.name = m[1]!;
      return undefined;
    }
    case 'npm':
      if (!NPM_NAME.test(value)) return `${value} is not a package name on a registry`;
      return undefined;
    case 'gem':
      if (!GEM_NAME.test(value)) return `${value} is not a gem name`;
      return undefined;
    default:
      return undefined;
  }
}

function optionIsVariable(argv: readonly ShellWord[], name: string): boolean {
  const value = optionValue(argv, [name]);
  return value !== undefined && typeof value !== 'string' && !value.literal;
}

function literalOption(argv: readonly ShellWord[], names: string[]): string[] {
  const found: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i]!;
    if (!word.literal) continue;
    for (const name of names) {
      if (word.value === name && argv[i + 1]?.literal) found.push(argv[i + 1]!.value);
      else if (word.value.startsWith(`${name}=`)) found.push(word.value.slice(name.length + 1));
      else if (name.length === 2 && word.value.startsWith(name) && word.value.length > 2 && !name.startsWith('--'))
        found.push(word.value.slice(2));
    }
  }
  return found;
}

/** Indexes the file names for this install: options first, then the stage's environment. */
function fileIndexes(operation: PackageOperation, command: ShellCommand, stage: StageState): string[] {
  const argv = command.argv;
  const env = (name: string): string[] => {
    const value = stage.env.get(name) ?? stage.env.get(name.toLowerCase());
    return value ? value.split(/\s+/).filter(Boolean) : [];
  };
  switch (operation.family) {
    case 'pip': {
      const main = literalOption(argv, ['-i', '--index-url']);
      const extra = literalOption(argv, ['--extra-index-url']);
      return [...(main.length ? main : env('PIP_INDEX_URL')), ...(extra.length ? extra : env('PIP_EXTRA_INDEX_URL'))];
    }
    case 'npm': {
      const registry = literalOption(argv, ['--registry']);
      return registry.length ? registry : env('NPM_CONFIG_REGISTRY');
    }
    case 'gem':
      return literalOption(argv, ['--source', '-s']);
    default:
      return [];
  }
}

function addsAptSource(command: ShellCommand): { line: number; what: string } | undefined {
  const name = commandName(command.argv[0]);
  const line = command.range.start.line;
  if (name === 'add-apt-repository' || name === 'apt-add-repository') return { line, what: name };
  const touches = command.argv.slice(1).some((w) => /^\/etc\/apt\/(?:sources\.list\.d\/|preferences)/.test(w.value));
  if (touches && ['tee', 'cp', 'mv', 'ln', 'install', 'echo', 'printf', 'cat', 'curl', 'wget'].includes(name ?? ''))
    return { line, what: `${name} into /etc/apt` };
  return undefined;
}

function addsApkRepository(command: ShellCommand): { line: number; what: string } | undefined {
  const name = commandName(command.argv[0]);
  if (name === 'tee' && command.argv.some((w) => w.value === '/etc/apk/repositories'))
    return { line: command.range.start.line, what: 'tee /etc/apk/repositories' };
  return undefined;
}

/**
 * Which stage each line of a Dockerfile belongs to, with what the stage has set up before it. Read
 * once per model (its states are only read): `stageAt` asks it for each script a Dockerfile runs,
 * and building it for every one of them was most of recording the stages of a Dockerfile that
 * runs many.
 */
function stageMap(model: DocumentModel): StageMap {
  return model.memo('stageMap', () => readStageMap(model));
}

interface StageMap {
  at(line: number): { stage: StageState; live: StageState; instruction: Instruction } | undefined;
}

function readStageMap(model: DocumentModel): StageMap {
  const dockerfile = model.parsedAs(dockerfileKind);
  const entries: Array<{
    start: number;
    end: number;
    stage: StageState;
    instruction: Instruction;
    snapshot: StageState;
  }> = [];
  if (dockerfile) {
    const named = new Map<string, StageState>();
    const byIndex: StageState[] = [];
    let stage: StageState | undefined;
    for (const instruction of dockerfile.instructions) {
      const range = instruction.getRange();
      if (instruction instanceof From) {
        stage = fromStage(model, instruction, named, byIndex);
        byIndex.push(stage);
        const name = instruction.getBuildStage();
        if (name) named.set(name.toLowerCase(), stage);
        continue;
      }
      if (!stage) continue;
      entries.push({
        start: range.start.line,
        end: range.end.line,
        stage,
        instruction,
        snapshot: { ...stage, env: new Map(stage.env) },
      });
      if (instruction instanceof Env || instruction instanceof Arg) {
        for (const property of instruction.getProperties()) {
          const value = property.getValue();
          if (value !== null) stage.env.set(property.getName(), value);
        }
      } else if (instruction instanceof Copy || instruction instanceof Add) {
        const args = instruction.getArguments().map((a) => a.getValue());
        const destination = args[args.length - 1] ?? '';
        if (
          /^\/etc\/apt\/(?:sources\.list|preferences|trusted)/.test(destination) ||
          destination === '/etc/apt' ||
          destination === '/etc/apt/'
        )
          stage.sourceChange ??= { line: range.start.line, what: `${instruction.getKeyword()} into ${destination}` };
        if (destination.startsWith('/etc/apk/repositories'))
          stage.sourceChange ??= { line: range.start.line, what: `${instruction.getKeyword()} into ${destination}` };
        if (args.slice(0, -1).some((a) => /(?:^|\/)package\.json$|^\.\/?$/.test(a))) stage.packageJson = true;
      }
    }
  }
  return {
    at(line) {
      const entry = entries.find((e) => e.start <= line && line <= e.end);
      // Sources added by this very instruction count only before the install: the commands check that.
      return entry && { stage: entry.snapshot, live: entry.stage, instruction: entry.instruction };
    },
  };
}

function fromStage(
  model: DocumentModel,
  from: From,
  named: ReadonlyMap<string, StageState>,
  byIndex: readonly StageState[],
): StageState {
  const dockerfile = model.parsedAs(dockerfileKind)!;
  const written = from.getImage() ?? '';
  const resolved = interpolate(written, dockerfile.lookupGlobalArg)?.value ?? written;
  const parent = named.get(resolved.toLowerCase()) ?? (/^\d+$/.test(resolved) ? byIndex[Number(resolved)] : undefined);
  if (parent) return { ...parent, env: new Map(parent.env) };
  const stage: StageState = { env: new Map(), packageJson: false };
  // A named build context is no image whose packages are known.
  const image = resolved.toLowerCase() !== 'scratch' && !dockerfile.namedContexts.has(resolved.toLowerCase());
  if (resolved && image && !resolved.includes('$')) {
    const platform = from.getPlatformFlag()?.getValue();
    stage.base = {
      reference: resolved,
      line: from.getRange().start.line,
      ...(platform && !platform.includes('$') ? { platform } : {}),
    };
  }
  return stage;
}
