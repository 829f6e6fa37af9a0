import * as path from 'node:path';
import picomatch from 'picomatch';
import type { ModelSource } from '../engine/engine';
import { firstOperand } from '../shell/options';
import { commandName } from '../shell/words';
import type { ScriptIndex } from './buildScriptIndex';
import { placeOf, ScriptText } from './scriptCopies';
import { toPosix } from './posixPath';

/** An expansion in a path (`$dir`, `${v}`, `"$(basename "$x")"`): any folder names, at any depth. */
const EXPANSION = /\$(?:\{[^}]*\}|\([^)]*\)|\w+)/g;

/** A script of the workspace and the places a generator script copies it to (absolute globs). */
export interface GeneratorCopy {
  script: ScriptText;
  targets: string[];
}

/**
 * The copies generator scripts make of the workspace's scripts: `cp -a entrypoint/*.sh "$dir/"`
 * or `cp docker-entrypoint.sh "$version/$variant/entrypoint.sh"` in a loop over the image variants.
 * Sources are literal paths or globs from the generator's folder (where such scripts run); the
 * destination's expansions stand for any folders. What the copies are is decided once the
 * Dockerfiles are known ({@link addGeneratorCopies}).
 */
export function generatorCopies(scripts: readonly ScriptText[], models: ModelSource): GeneratorCopy[] {
  const finder = new GeneratorCopyFinder(scripts);
  for (const generator of scripts) finder.visit(generator, models);
  return finder.copies();
}

/**
 * `generatorCopies` a generator at a time, for a host that visits each script once for several
 * purposes. The copies come out in the order of the scripts given, whatever the order of the visits,
 * so a host may visit a generator late (or not at all, see `copiesMatter`) with the same outcome.
 */
export class GeneratorCopyFinder {
  private readonly byPath: ReadonlyMap<string, ScriptText>;
  /** By generator (the scripts' order first): each copy it makes, as a script and one place. */
  private readonly found: Map<string, Array<[ScriptText, string]> | undefined>;

  /** `scripts`: every script of the workspace (the ones copies may be made of). */
  constructor(scripts: readonly ScriptText[]) {
    this.byPath = new Map(scripts.map((s) => [s.path, s]));
    this.found = new Map(scripts.map((s) => [s.path, undefined]));
  }

  /** Whether `generator` may make a copy: one that does not name `cp` makes none (no analysis needed). */
  static mayCopy(generator: ScriptText): boolean {
    return /\bcp\b/.test(generator.text);
  }

  /** Whether `generator` was visited already. */
  private visited(generator: ScriptText): boolean {
    return this.found.get(generator.path) !== undefined;
  }

  /** Notes the copies `generator` (one of the scripts) makes. */
  visit(generator: ScriptText, models: ModelSource): void {
    if (!GeneratorCopyFinder.mayCopy(generator) || this.visited(generator)) return;
    const model = models.readModel({ path: generator.path, kind: 'shell', text: generator.text });
    const folder = path.dirname(generator.path);
    const notes: Array<[ScriptText, string]> = [];
    for (const command of model.shell.commands) {
      if (commandName(command.argv[0]) !== 'cp' || command.place !== 'host') continue;
      const operands: string[] = [];
      for (let i = firstOperand(command.argv, 1, { shortValued: 'St' }); i < command.argv.length;) {
        operands.push(command.argv[i]!.value);
        i = firstOperand(command.argv, i + 1, { shortValued: 'St' });
      }
      if (operands.length < 2) continue;
      const destination = operands.pop()!;
      if (!destination.includes('$') || destination.startsWith('/') || destination.startsWith('$HOME')) continue;
      const destinationGlob = path.resolve(folder, destination.replace(EXPANSION, '**'));
      const intoFolder = destination.endsWith('/') || operands.length > 1 || operands.some(isGlob);
      for (const source of operands) {
        if (source.includes('$') || source.startsWith('/')) continue;
        for (const script of matching(path.resolve(folder, source), this.byPath)) {
          notes.push([script, path.join(destinationGlob, path.basename(script.path))]);
          if (!intoFolder) notes.push([script, destinationGlob]);
        }
      }
    }
    this.found.set(generator.path, notes);
  }

  /** The copies found so far, by script (first noted first, generators in the scripts' order). */
  copies(): GeneratorCopy[] {
    const targets = new Map<ScriptText, Set<string>>();
    for (const notes of this.found.values())
      for (const [script, target] of notes ?? []) {
        const list = targets.get(script) ?? new Set<string>();
        list.add(target);
        targets.set(script, list);
      }
    return [...targets].map(([script, list]) => ({ script, targets: [...list] }));
  }
}

/**
 * Whether generators' copies can change `index` (see `addGeneratorCopies`): only when a Dockerfile
 * of the workspace runs a script in containers. A host that knows this only after the Dockerfiles'
 * lint may leave the generators it has not analysed yet until then, and skip them when it is false.
 */
export function copiesMatter(index: ScriptIndex): boolean {
  return inContainers(index).length > 0;
}

/**
 * Gives a script that nothing else places (it would run on the host) the place of its generated
 * copies when a Dockerfile of the workspace runs one of them in containers (names it in
 * ENTRYPOINT/CMD, copies it into a start-up folder or into its image): the template is that
 * entrypoint, even where the copies are not in view (generated and ignored, or not generated yet).
 * Like byte-for-byte copies, only the container place is given.
 */
export function addGeneratorCopies(
  index: ScriptIndex,
  copies: readonly GeneratorCopy[],
  roots: readonly string[],
): void {
  const entries = inContainers(index);
  if (entries.length === 0) return;
  for (const { script, targets } of copies) {
    if (placeOf(script, index, roots) !== 'host') continue;
    const matches = picomatch(targets.map(toPosix), { dot: true });
    if (entries.some((entry) => matches(toPosix(entry)))) index.entrypoint.add(script.path);
  }
}

/** The scripts (no globs) that Dockerfiles of the workspace run in containers. */
function inContainers(index: ScriptIndex): string[] {
  return [...index.entrypoint, ...index.startup, ...index.image].filter((entry) => !isGlob(entry));
}

function matching(source: string, byPath: ReadonlyMap<string, ScriptText>): ScriptText[] {
  const exact = byPath.get(source);
  if (exact) return [exact];
  if (!isGlob(source)) return [];
  const matches = picomatch(toPosix(source), { dot: true });
  return [...byPath.values()].filter((s) => path.dirname(s.path) === path.dirname(source) && matches(toPosix(s.path)));
}

function isGlob(p: string): boolean {
  return /[*?[]/.test(p);
}
