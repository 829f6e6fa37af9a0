import type { Problem } from './types';
import type { EngineSettings, LintInput, PartialFacts } from './settings';
import { finish, type LintResult, type LintSteps } from './lint';
import type { DocumentModel } from './documentModel';
import type { FileKind } from './types';
import { Anchor, anchorsOf } from './units';
import { LineIndex } from './lineIndex';
import { sameChanges, sameSourcedVariables, type VariableChange } from '../shell/commandVariables';

/**
 * What an editor host keeps between two lints of the same document so the next lint can re-analyse
 * only the part that changed. Opaque to hosts; pure data (no parser handles).
 */
export interface IncrementalState<K extends string = FileKind> {
  readonly input: LintInput<K>;
  readonly result: LintResult;
  readonly index: LineIndex;
  /** The document split into consecutive units covering every line; undefined: not splittable. */
  readonly units: readonly Unit[] | undefined;
}

/** A run of lines: an anchor with the blank and comment lines before it (or trailing lines). */
interface Unit {
  start: number;
  /** First line of the anchor (after the unit's leading blank and comment lines). */
  anchorStart: number;
  end: number;
  context: boolean;
  reachesBack?: boolean;
  stageStart?: boolean;
  frozen?: boolean;
  /** The lines after the last anchor (no anchor of its own). */
  trailing?: boolean;
  /** See `Anchor.variables`. */
  variables?: readonly VariableChange[];
  /** See `Anchor.images`. */
  images?: readonly string[];
}

/** What incremental linting needs of the engine. */
export interface Linter<K extends string> {
  lint(input: LintInput<K>): LintResult;
  /** `lint` in steps (see `LintSteps`). */
  lintSteps(input: LintInput<K>): LintSteps;
  /** A model of the document, parsed lazily. */
  model(input: LintInput<K>): DocumentModel;
}

/** Which way a lint was computed (for tests and benchmarks). */
export type LintMode = 'full' | 'partial';

/**
 * Lints `input` reusing `previous` (the state of an earlier lint of the same document) when only
 * non-context units changed: those units are linted alone, with the context units at their own
 * lines and the variables the units before them set (as data, see `Anchor.variables`), and the
 * previous problems elsewhere are kept or moved by the number of lines added. A region whose
 * changes to the variables differ from before is linted in full, as later units may resolve
 * differently.
 * The result is identical to `lint(input)`; whenever that cannot be guaranteed cheaply (context
 * edited, ignore comments edited, heredocs, continuation at the end of the change, parse errors,
 * a changed unit structure) the whole document is linted.
 */
export function lintIncremental<K extends string>(
  engine: Linter<K>,
  input: LintInput<K>,
  previous?: IncrementalState<K>,
  options: IncrementalOptions = {},
): IncrementalLint<K> {
  return finish(lintIncrementalSteps(engine, input, previous, options));
}

export interface IncrementalLint<K extends string> {
  result: LintResult;
  state: IncrementalState<K>;
  mode: LintMode;
}

/** `lintIncremental` in steps: a partial lint is one step, a full lint pauses as `LintSteps` says. */
export function* lintIncrementalSteps<K extends string>(
  engine: Linter<K>,
  input: LintInput<K>,
  previous?: IncrementalState<K>,
  options: IncrementalOptions = {},
): LintSteps<IncrementalLint<K>> {
  const minLines = options.minLines ?? MIN_LINES;
  const update = previous?.index.update(input.text);
  const index = update?.index ?? LineIndex.of(input.text);
  const partial =
    previous && update && index.count >= minLines ? tryPartial(engine, input, index, update, previous) : undefined;
  if (partial) return { ...partial, mode: 'partial' };
  const result = yield* engine.lintSteps(input);
  return {
    result,
    state: { input, result, index, units: index.count >= minLines ? unitsOf(result, index) : undefined },
    mode: 'full',
  };
}

export interface IncrementalOptions {
  /** Documents shorter than this are always linted in full (default 200 lines: a full lint is as fast). */
  minLines?: number;
}

const MIN_LINES = 200;
/** Units before the first syntax error that are still linted in full when edited. */
const FROZEN_MARGIN = 2;
/** A change touching more than this share of the document is linted in full. */
const MAX_REGION_SHARE = 0.25;
const IGNORE_MARKER = /driftguard-ignore|hadolint/;
const FILE_WIDE_IGNORE = /driftguard-ignore-file|hadolint\s+global/;
const HEREDOC = /<<(?!<)/;
const FROM_FLAG = /from/i;

function tryPartial<K extends string>(
  engine: Linter<K>,
  input: LintInput<K>,
  index: LineIndex,
  change: { unchangedBefore: number; unchangedAfter: number },
  previous: IncrementalState<K>,
): { result: LintResult; state: IncrementalState<K> } | undefined {
  const units = previous.units;
  if (!units || units.length === 0 || previous.result.skipped || previous.result.internalErrors.length > 0)
    return undefined;
  if (!sameInputExceptText(input, previous.input)) return undefined;
  const oldIndex = previous.index;
  const oldCount = oldIndex.count;
  const newCount = index.count;
  if (input.text === previous.input.text) return { result: previous.result, state: { ...previous, input, index } };
  const prefix = change.unchangedBefore;
  const suffix = change.unchangedAfter;
  const delta = newCount - oldCount;
  const unitAt = (line: number) => units.findIndex((u) => u.end >= line);
  let first: number;
  let last: number;
  if (prefix + suffix >= oldCount) {
    // Lines only inserted: they join the unit before them, or the one after when that is context.
    const before = unitAt(Math.max(0, prefix - 1));
    const after = prefix < oldCount ? unitAt(prefix) : -1;
    first = last = before >= 0 && !units[before]!.context && !units[before]!.frozen ? before : after;
  } else {
    first = unitAt(Math.min(prefix, oldCount - 1));
    last = unitAt(Math.min(oldCount - suffix - 1, oldCount - 1));
  }
  if (first < 0 || last < 0) return undefined;
  first = Math.min(first, last);
  for (let i = first; i <= last; i++) if (units[i]!.context || units[i]!.frozen) return undefined;
  const regionStart = units[first]!.start;
  const oldRegionEnd = units[last]!.end;
  const newRegionEnd = oldRegionEnd + delta;
  if (newRegionEnd < regionStart || newRegionEnd - regionStart + 1 > Math.max(MIN_LINES, newCount) * MAX_REGION_SHARE)
    return undefined;
  const oldRegion = oldIndex.lines(regionStart, oldRegionEnd);
  const newRegion = index.lines(regionStart, newRegionEnd);
  if (
    oldRegion.some((l) => IGNORE_MARKER.test(l) || HEREDOC.test(l)) ||
    newRegion.some((l) => IGNORE_MARKER.test(l) || HEREDOC.test(l))
  )
    return undefined;
  if (endsWithContinuation(newRegion, previous.result.model)) return undefined;

  // The partial document: the region, the context units and the region's two neighbours, in
  // document order without the lines in between (`realLine` maps its lines back). The neighbours
  // show whether the change joins the region with them (a parser may read across a line break);
  // their problems are not taken from here.
  if (units[first - 1]?.frozen || units[last + 1]?.frozen) return undefined;
  const partLines: string[] = [];
  const realLine: number[] = [];
  const take = (from: number, to: number) => {
    for (let l = from; l <= to; l++) {
      partLines.push(index.line(l));
      realLine.push(l);
    }
  };
  // Earlier stages matter only to `--from` references; otherwise the region's own stage is enough.
  const firstStage = units.findIndex((u) => u.stageStart);
  let currentStage = -1;
  if (!newRegion.some((l) => FROM_FLAG.test(l)))
    for (let i = first - 1; i >= 0 && currentStage < 0; i--) if (units[i]!.stageStart) currentStage = i;
  for (let i = 0; i < units.length; i++) {
    if (i === first) take(regionStart, newRegionEnd);
    if (i >= first && i <= last) continue;
    const unit = units[i]!;
    const neighbour = i === first - 1 || i === last + 1;
    const earlierStage = i > firstStage && i < currentStage && !unit.reachesBack;
    if (!neighbour && (!(unit.context && (i < first || unit.reachesBack)) || earlierStage)) continue;
    const shift = i > last ? delta : 0;
    // Leading comments matter only in the first unit (parser directives) and in units holding a
    // file-wide ignore comment.
    const from = neighbour || i === 0 || unit.reachesBack ? unit.start : unit.anchorStart;
    take(from + shift, unit.end + shift);
  }
  const toReal = (line: number) => realLine[line] ?? realLine[realLine.length - 1]! + line - (realLine.length - 1);
  const text = partLines.join('\n');
  const carriesFacts = previous.result.model.kind.incremental?.piecesCarryFacts === true;
  const partial = partialFacts(carriesFacts ? units : [], first, last, partLines, realLine, units[first]!.start);
  const partResult = engine.lint({ ...input, text, partial });
  if (partResult.skipped || partResult.internalErrors.length > 0) return undefined;
  const partAnchors = anchorsOf(partResult.model)?.map((a) => ({ ...a, start: toReal(a.start), end: toReal(a.end) }));
  if (!partAnchors) return undefined;
  if (partAnchors.some((a) => a.start < regionStart && a.end >= regionStart)) return undefined;
  const regionAnchors = partAnchors.filter((a) => a.start >= regionStart && a.start <= newRegionEnd);
  if (partAnchors.some((a) => a.frozen) || regionAnchors.some((a) => a.context || a.end > newRegionEnd))
    return undefined;
  if (!contentCoveredBy(newRegion, regionStart, regionAnchors)) return undefined;
  // The units after the region saw the variables the old region left, and every other unit the
  // images it made: they must be the same.
  const replacedUnits = units.slice(first, last + 1);
  if (!sameChanges(changesOf(replacedUnits), changesOf(regionAnchors))) return undefined;
  if (imagesOf(replacedUnits).join('\n') !== imagesOf(regionAnchors).join('\n')) return undefined;
  const support = partResult.model.kind.incremental;
  const replaced = { start: units[first]!.start, end: units[first]!.end };
  if (
    support?.regionKeepsStructure &&
    !support.regionKeepsStructure({ region: newRegion, replaced, oldIndex, anchors: regionAnchors, index })
  )
    return undefined;

  const problems: Problem[] = [];
  // Kept problems move with their lines; one that points into the old region depends on it.
  const keptLine = (line: number) => (line < regionStart ? line : line > oldRegionEnd ? line + delta : undefined);
  const keep = (problem: Problem): boolean => {
    const [low, high] = lineExtent(problem);
    if (high < regionStart || (low > oldRegionEnd && delta === 0)) {
      problems.push(problem);
      return true;
    }
    const moved = movePositions(problem, keptLine);
    if (moved) problems.push(moved);
    return moved !== undefined;
  };
  for (const problem of previous.result.problems) {
    if (problem.range.start.line >= regionStart) break;
    if (!keep(problem)) return undefined;
  }
  for (const problem of partResult.problems) {
    const line = toReal(problem.range.start.line);
    if (line >= regionStart && line <= newRegionEnd) problems.push(movePositions(problem, toReal)!);
  }
  for (const problem of previous.result.problems) {
    if (problem.range.start.line > oldRegionEnd && !keep(problem)) return undefined;
  }
  const result: LintResult = { problems, internalErrors: [], model: engine.model(input) };

  const newUnits: Unit[] = units.slice(0, first);
  let next = regionStart;
  for (const anchor of regionAnchors) {
    newUnits.push({
      start: next,
      anchorStart: anchor.start,
      end: anchor.end,
      context: false,
      ...(anchor.variables ? { variables: anchor.variables } : {}),
      ...(anchor.images ? { images: anchor.images } : {}),
    });
    next = anchor.end + 1;
  }
  const after = units
    .slice(last + 1)
    .map((u) =>
      delta === 0 ? u : { ...u, start: u.start + delta, anchorStart: u.anchorStart + delta, end: u.end + delta },
    );
  if (next <= newRegionEnd) {
    // The lines join the next unit as leading lines (a unit without an anchor starts at its first line).
    if (after.length > 0)
      after[0] = { ...after[0]!, start: next, ...(after[0]!.trailing ? { anchorStart: next } : {}) };
    else
      newUnits.push({
        start: next,
        anchorStart: next,
        end: newRegionEnd,
        context: trailingIsContext(partResult.model),
        trailing: true,
      });
  }
  newUnits.push(...after);
  return { result, state: { input, result, index, units: newUnits } };
}

/** The changes to the variables the pieces make, in order. */
function changesOf(pieces: ReadonlyArray<{ variables?: readonly VariableChange[] }>): readonly VariableChange[] {
  const changes: VariableChange[] = [];
  for (const piece of pieces) if (piece.variables) for (const change of piece.variables) changes.push(change);
  return changes;
}

/** The images the pieces make, sorted, each once. */
function imagesOf(pieces: ReadonlyArray<{ images?: readonly string[] }>): string[] {
  const images = new Set<string>();
  for (const piece of pieces) if (piece.images) for (const image of piece.images) images.add(image);
  return [...images].sort();
}

/**
 * What the partial lint of units `first`…`last` is told of the others (see `PartialFacts`): where
 * the region starts in the partial text, the changes every unit before it made to the variables
 * (the region starts with them, not with what the context units and the neighbour before it in
 * the partial text would leave) and the images every unit outside it makes.
 */
function partialFacts(
  units: readonly Unit[],
  first: number,
  last: number,
  partLines: readonly string[],
  realLine: readonly number[],
  regionStart: number,
): PartialFacts {
  let offset = 0;
  for (let l = 0; l < partLines.length && realLine[l]! < regionStart; l++) offset += partLines[l]!.length + 1;
  const elsewhere = new Set<string>();
  units.forEach((unit, i) => {
    if ((i < first || i > last) && unit.images) for (const image of unit.images) elsewhere.add(image);
  });
  return {
    regionStart: offset,
    variablesBefore: changesOf(units.slice(0, first)),
    imagesMadeElsewhere: [...elsewhere],
  };
}

/** Units covering every line, from the anchors of a full lint. */
function unitsOf(result: LintResult, index: LineIndex): Unit[] | undefined {
  const lineCount = index.count;
  if (result.skipped) return undefined;
  let anchors: Anchor[] | undefined;
  try {
    anchors = anchorsOf(result.model);
  } catch {
    return undefined;
  }
  if (!anchors) return undefined;
  const units: Unit[] = [];
  let next = 0;
  for (const anchor of anchors) {
    if (anchor.start < next || anchor.end < anchor.start) return undefined;
    units.push({ ...anchor, start: next, anchorStart: anchor.start });
    next = anchor.end + 1;
  }
  if (next < lineCount)
    units.push({
      start: next,
      anchorStart: next,
      end: lineCount - 1,
      context: trailingIsContext(result.model),
      trailing: true,
    });
  // A file-wide ignore comment applies to every unit: it travels with every partial analysis.
  for (const unit of units) {
    for (let l = unit.start; l <= unit.end; l++) {
      if (FILE_WIDE_IGNORE.test(index.line(l))) {
        unit.context = true;
        unit.reachesBack = true;
        break;
      }
    }
  }
  // A parser's error recovery may reach back into the pieces before an error: those stay frozen too.
  const firstFrozen = units.findIndex((u) => u.frozen);
  if (firstFrozen >= 0)
    for (let i = Math.max(0, firstFrozen - FROZEN_MARGIN); i < units.length; i++) units[i]!.frozen = true;
  return units;
}

function sameInputExceptText(a: LintInput<string>, b: LintInput<string>): boolean {
  return (
    a.uri === b.uri &&
    a.kind === b.kind &&
    a.shellContext === b.shellContext &&
    a.scriptRole === b.scriptRole &&
    a.dotenv === b.dotenv &&
    (a.namedContexts ?? []).join('\n') === (b.namedContexts ?? []).join('\n') &&
    sameSourcedVariables(a.sourcedVariables, b.sourcedVariables) &&
    sameSettings(a.settings, b.settings)
  );
}

function sameSettings(a: EngineSettings, b: EngineSettings): boolean {
  if (a === b) return true;
  const keys = Object.keys(a.severities);
  if (keys.length !== Object.keys(b.severities).length || keys.some((k) => a.severities[k] !== b.severities[k]))
    return false;
  if (a.imagesAllow.length !== b.imagesAllow.length || a.imagesAllow.some((p, i) => p !== b.imagesAllow[i]))
    return false;
  if (a.currentDigests === b.currentDigests) return true;
  if (!a.currentDigests || !b.currentDigests || a.currentDigests.size !== b.currentDigests.size) return false;
  for (const [k, v] of a.currentDigests) if (b.currentDigests.get(k) !== v) return false;
  return true;
}

const isContent = (line: string) => !/^\s*(?:#.*)?\r?$/.test(line);

/** The last non-blank, non-comment line ends with a line continuation, joining the next unit. */
function endsWithContinuation(region: readonly string[], model: DocumentModel | undefined): boolean {
  const continuations = model?.kind.incremental?.lineContinuations ?? [];
  if (continuations.length === 0) return false;
  const last = [...region].reverse().find(isContent)?.trimEnd();
  return last !== undefined && continuations.some((c) => last.endsWith(c));
}

/** Lines after the last unit are context in kinds whose trailing lines other pieces depend on. */
function trailingIsContext(model: DocumentModel | undefined): boolean {
  return model?.kind.incremental?.trailingLinesAreContext ?? false;
}

/** Every content line of the region lies inside one of its anchors (nothing joins a neighbour). */
function contentCoveredBy(region: readonly string[], regionStart: number, anchors: readonly Anchor[]): boolean {
  let a = 0;
  for (let i = 0; i < region.length; i++) {
    const line = regionStart + i;
    while (a < anchors.length && anchors[a]!.end < line) a++;
    if (isContent(region[i]!) && !(a < anchors.length && anchors[a]!.start <= line)) return false;
  }
  return true;
}

const extents = new WeakMap<Problem, [number, number]>();

/** The lowest and highest line any position of a problem (range, fix edits, data) is on. */
function lineExtent(problem: Problem): [number, number] {
  let extent = extents.get(problem);
  if (!extent) {
    const found: [number, number] = [Infinity, -Infinity];
    movePositions(problem, (line) => {
      found[0] = Math.min(found[0], line);
      found[1] = Math.max(found[1], line);
      return line;
    });
    extent = found;
    extents.set(problem, extent);
  }
  return extent;
}

/**
 * A copy of a problem with every position (range, fix edit, data) on the line `mapLine` gives;
 * undefined when `mapLine` refuses one of them. Unchanged problems are returned as they are.
 */
function movePositions(problem: Problem, mapLine: (line: number) => number | undefined): Problem | undefined {
  let refused = false;
  const move = <T>(value: T): T => {
    if (Array.isArray(value)) {
      const mapped = value.map(move);
      return (mapped.every((v, i) => v === value[i]) ? value : mapped) as T;
    }
    if (value === null || typeof value !== 'object') return value;
    const record = value as Record<string, unknown>;
    if (typeof record.line === 'number' && typeof record.character === 'number') {
      const line = mapLine(record.line);
      if (line === undefined) refused = true;
      return (line === undefined || line === record.line ? value : { ...record, line }) as T;
    }
    let copy: Record<string, unknown> | undefined;
    for (const key of Object.keys(record)) {
      const moved = move(record[key]);
      if (moved !== record[key]) (copy ??= { ...record })[key] = moved;
    }
    return (copy ?? value) as T;
  };
  const moved = move(problem);
  return refused ? undefined : moved;
}
