import type { DocumentModel } from './documentModel';
import { shellAnalysis } from '../shell';
import { isAlias, isMap, isScalar, visit } from 'yaml';

/**
 * A top-level piece of a document that can be analysed on its own: a Dockerfile instruction, a
 * top-level shell statement, a Compose service. Lines are 0-based and inclusive.
 *
 * `context` marks pieces other pieces depend on (Dockerfile parser directives, global ARGs, FROM and
 * SHELL; images a script builds or tags; Compose's top-level keys): they are copied into every
 * partial analysis of a later piece, and editing one re-analyses the whole document.
 */
export interface Anchor {
  start: number;
  end: number;
  context: boolean;
  /** Context that pieces before it depend on too (`docker build -t app` makes `docker run app` earlier local). */
  reachesBack?: boolean;
  /**
   * Dockerfile FROM: starts a stage. Later pieces depend on the stage they are in, and on earlier
   * stages only through `--from` references (stage names and indexes).
   */
  stageStart?: boolean;
  /** Contains a syntax error: never re-analysed alone (error recovery may reach across pieces). */
  frozen?: boolean;
}

/** The anchors of a parsed document in line order, or undefined when it cannot be split safely. */
export function anchorsOf(model: DocumentModel): Anchor[] | undefined {
  const anchors =
    model.kind === 'dockerfile'
      ? dockerfileAnchors(model)
      : model.kind === 'compose'
        ? composeAnchors(model)
        : shellAnchors(model);
  return anchors && mergeSharedLines(anchors);
}

/** Anchors sharing a line (`a; b` in shell) become one: units never split a line. */
function mergeSharedLines(anchors: readonly Anchor[]): Anchor[] {
  const merged: Anchor[] = [];
  for (const anchor of anchors) {
    const last = merged[merged.length - 1];
    if (last && anchor.start <= last.end) {
      last.end = Math.max(last.end, anchor.end);
      last.context ||= anchor.context;
      if (anchor.reachesBack) last.reachesBack = true;
      if (anchor.stageStart) last.stageStart = true;
      if (anchor.frozen) last.frozen = true;
    } else merged.push({ ...anchor });
  }
  return merged;
}

/** Commands whose images other commands may run (`docker build -t x`, `docker tag`, `docker commit`). */
const MAKES_IMAGES = /(?:^|[^\w.-])(?:docker|podman)(?![\w.-])(?:[^;&|\n]|\\\r?\n)*?\b(?:build|buildx|tag|commit)\b/;

function dockerfileAnchors(model: DocumentModel): Anchor[] {
  const anchors: Anchor[] = [];
  let seenFrom = false;
  for (const instruction of model.dockerfile!.ast.getInstructions()) {
    const range = instruction.getRange();
    const keyword = instruction.getKeyword().toUpperCase();
    // Everything up to the first FROM (directives, global ARGs) feeds every image reference.
    const makesImages = MAKES_IMAGES.test(model.source.textOf(range));
    const context = !seenFrom || keyword === 'FROM' || keyword === 'SHELL' || makesImages;
    if (keyword === 'FROM') seenFrom = true;
    anchors.push({
      start: range.start.line,
      end: range.end.line,
      context,
      ...(makesImages ? { reachesBack: true } : {}),
      ...(keyword === 'FROM' ? { stageStart: true } : {}),
    });
  }
  return anchors;
}

function shellAnchors(model: DocumentModel): Anchor[] | undefined {
  const script = shellAnalysis(model).script;
  if (!script) return undefined;
  const source = model.source;
  return script.statements.map(({ start, end, hasError }) => {
    const makesImages = MAKES_IMAGES.test(source.text.slice(start, end));
    return {
      start: source.positionAt(start).line,
      end: source.positionAt(end).line,
      context: makesImages,
      ...(makesImages ? { reachesBack: true } : {}),
      ...(hasError ? { frozen: true } : {}),
    };
  });
}

/**
 * Services of a block-style `services:` mapping; what comes before them (up to the `services:` key)
 * and after them is context. Documents with anchors, aliases or merge keys are not split: a service
 * may depend on any other part of the file.
 */
function composeAnchors(model: DocumentModel): Anchor[] | undefined {
  const compose = model.compose!;
  if (compose.errors.length > 0) return undefined;
  const document = compose.document;
  let shared = false;
  visit(document, {
    Alias: () => {
      shared = true;
      return visit.BREAK;
    },
    Node: (_key, node) => {
      if (node.anchor) {
        shared = true;
        return visit.BREAK;
      }
      return undefined;
    },
    Pair: (_key, pair) => {
      if (isScalar(pair.key) && pair.key.value === '<<') {
        shared = true;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  if (shared) return undefined;
  const root = document.contents;
  if (!isMap(root)) return undefined;
  const servicesPair = root.items.find((pair) => isScalar(pair.key) && pair.key.value === 'services');
  const services = servicesPair?.value;
  if (
    !servicesPair ||
    !isMap(services) ||
    services.flow ||
    isAlias(services) ||
    !isScalar(servicesPair.key) ||
    !servicesPair.key.range
  )
    return undefined;
  const source = model.source;
  const anchors: Anchor[] = [
    {
      start: source.positionAt(servicesPair.key.range[0]).line,
      end: source.positionAt(servicesPair.key.range[0]).line,
      context: true,
    },
  ];
  for (const pair of services.items) {
    if (!isScalar(pair.key) || !pair.key.range) return undefined;
    const valueEnd = (pair.value as { range?: [number, number, number] } | null)?.range?.[1] ?? pair.key.range[1];
    anchors.push({
      start: source.positionAt(pair.key.range[0]).line,
      end: source.positionAt(lastCharBefore(source.text, valueEnd)).line,
      context: false,
    });
  }
  return anchors;
}

function lastCharBefore(text: string, end: number): number {
  let i = end - 1;
  while (i > 0 && /\s/.test(text[i]!)) i--;
  return Math.max(0, i);
}
