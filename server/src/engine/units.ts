import type { DocumentModel } from './documentModel';
import type { VariableChange } from '../shell/commandVariables';

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
  /**
   * Shell: the changes the piece makes to the command and path variables later pieces resolve
   * through, in order. A piece analysed alone starts with those of every piece before it (see
   * `PartialFacts`) instead of their text.
   */
  variables?: readonly VariableChange[];
  /**
   * Shell: the images the piece builds, tags or commits, which other pieces run without pulling
   * them. A piece analysed alone is told those of every other piece (see `PartialFacts`).
   */
  images?: readonly string[];
}

/** The anchors of a parsed document in line order, or undefined when it cannot be split safely. */
export function anchorsOf(model: DocumentModel): Anchor[] | undefined {
  const anchors = model.kind.incremental?.anchors(model.parsed, model);
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
      if (anchor.variables) last.variables = [...(last.variables ?? []), ...anchor.variables];
      if (anchor.images) last.images = [...(last.images ?? []), ...anchor.images];
    } else merged.push({ ...anchor });
  }
  return merged;
}

/** Commands whose images other commands may run (`docker build -t x`, `docker tag`, `docker commit`). */
const MAKES_IMAGES = /(?:^|[^\w.-])(?:docker|podman)(?![\w.-])(?:[^;&|\n]|\\\r?\n)*?\b(?:build|buildx|tag|commit)\b/;

/** Whether a piece's text makes images other pieces may run: it is context for them (and for earlier ones). */
export function makesImages(text: string): boolean {
  return MAKES_IMAGES.test(text);
}
