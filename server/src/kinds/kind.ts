import type { DocumentModel } from '../engine/documentModel';
import type { LintInput } from '../engine/settings';
import type { Anchor } from '../engine/units';
import type { LineIndex } from '../engine/lineIndex';
import type { ImageReference } from '../model/imageRef';
import type { ActionUseSite } from '../model/actionUses';
import type { SourceText } from '../model/positions';
import type { ShellSnippet } from '../shell/snippet';
import type { ScriptUse } from '../workspace/buildScriptIndex';
import type { BuildDefinition } from '../model/buildDefinition';

/**
 * Everything DriftGuard knows about one kind of file, in one object: how to recognise it, parse it,
 * read its comments, split it for incremental linting, and find the shell code and image references
 * in it. The engine, the suppressions, the ignore fixes, discovery and both hosts ask the adapter;
 * none of them asks which kind a document is. Rules read the kind-neutral views (image references,
 * shell analysis, comments) and so apply to every kind that has them; a rule that reads one kind's
 * own model lists that kind in `meta.kinds`.
 *
 * Methods take the kind's parsed model (`M`, built once per document by `parse`) and the document.
 */
export interface KindAdapter<M = unknown, Id extends string = string> {
  /** The kind's id: `LintInput.kind`, rule `meta.kinds`, the `kind` of JSON reports. A public name. */
  readonly id: Id;
  readonly detection: KindDetection;
  readonly editor: EditorFacts;
  /** Parses the document once, on first use (rules, comments, units and snippets share it). */
  parse(source: SourceText, input: LintInput<string>): M;
  /**
   * The kind's parse of a document read before (for the builds it defines) handed to the
   * document's lint, in the state `parse` would give it: whatever the first reader computed lazily
   * or spent of a budget is not carried over. Absent: a lint parses the document again.
   */
  reread?(model: M): M;
  /** Why a parsed document is not analysed (e.g. invalid YAML), or undefined to analyse it. */
  skipReason?(model: M): string | undefined;
  readonly comments: CommentSyntax<M>;
  /** How the document splits into pieces that can be re-linted alone; absent: always linted whole. */
  readonly incremental?: IncrementalSupport<M>;
  /** Shell code the document holds, with its place (build, container start, host…); absent: none. */
  shellSnippets?(model: M, document: DocumentModel): ShellSnippet[];
  /** Images the document names itself (shell commands' images are added by the engine); absent: none. */
  imageReferences?(model: M, document: DocumentModel): ImageReference[];
  /** Remote GitHub actions and reusable workflows the document runs (`uses: owner/repo@ref`); absent: none. */
  actionUses?(model: M, document: DocumentModel): ActionUseSite[];
  /**
   * Scripts files of this kind copy in and run (paths relative to the file's folder): hosts lint
   * those scripts in build or container-start context, and lint files of this kind before others.
   */
  scriptUses?(model: M, document: DocumentModel): ScriptUse;
  /**
   * Builds the document defines or runs for Dockerfiles of the workspace (a Compose service's
   * `build:`, `docker build -f … <context>`): hosts learn from them where each Dockerfile's build
   * context and named contexts are. Absent: none.
   */
  buildDefinitions?(model: M, document: DocumentModel): BuildDefinition[];
  /**
   * Files of this kind are programs other files run (a Dockerfile's `RUN ./x.sh`): hosts give them the
   * shell context and role the script index says (`LintInput.shellContext`, `scriptRole`).
   */
  readonly runByOtherFiles?: boolean;
  /** The kind reads the `.env` file beside the document (`LintInput.dotenv`): hosts pass it and watch it. */
  readonly readsDotenv?: boolean;
}

/** A file's path as detection sees it: `/`-separated (as given: absolute or relative), and its base name. */
export interface KindPath {
  path: string;
  base: string;
}

/**
 * How strongly a path names a kind. `folder`: the folders decide (`.github/workflows/*.yml`);
 * `name`: a file-name pattern (`Dockerfile.*`, `compose.yaml`); `extension`: only the extension
 * (`.sh`). The strongest claim wins, so `.github/workflows/docker-compose.yml` is not a Compose
 * file and `Dockerfile.sh` is not a shell script; equal claims go to the kind listed first.
 */
export type PathClaim = 'folder' | 'name' | 'extension';

export interface KindDetection {
  byPath?(file: KindPath): PathClaim | undefined;
  /**
   * For files no kind claims by path: whether their first line may decide (reading it costs a file open), and whether
   * it does.
   */
  readonly byFirstLine?: {
    worthReading(file: KindPath): boolean;
    claims(firstLine: string, file: KindPath): boolean;
  };
}

/** What the editor client needs to send documents of this kind to the server. */
export interface EditorFacts {
  /** VS Code language ids that are this kind's own: a document with one is this kind, whatever its path. */
  readonly languageIds: readonly string[];
  /** Generic language ids (`yaml`, `jsonc`) under which a document is this kind only when its path says so. */
  readonly sharedLanguageIds?: readonly string[];
  /** Globs of files to lint even when the editor gives them a language id the client does not select. */
  readonly filePatterns?: readonly string[];
  /**
   * Paths relative to a workspace folder (a file of this kind, or a folder holding them) whose presence
   * starts the extension (`workspaceContains:`) when no language id of this kind would (a workflow opened as
   * `yaml`). Exact paths, never globs: VS Code checks a path with one `stat`, a glob with a search of the
   * whole workspace at every window start.
   */
  readonly workspaceMarkers?: readonly string[];
}

/**
 * Comments in the document's own syntax, and where ignore comments go. Own-line ignore comments
 * (`<token> driftguard-ignore <rule>`) apply to the statement after them; file-wide ones to the file.
 */
export interface CommentSyntax<M> {
  /** The line-comment token ignore comments are written with (`#`). */
  readonly token: string;
  /** Lines that are whole-line comments (not, e.g., `#` lines inside a YAML block scalar). */
  commentLines(model: M, document: DocumentModel): Set<number>;
  /** Lines [first, last] an own-line ignore comment covers when the next statement starts on `line`. */
  ignoreTarget(model: M, document: DocumentModel, line: number): [number, number];
  /** First line of the statement holding `line`: an "ignore on this line" comment goes above it. */
  statementStart(model: M, document: DocumentModel, line: number): number;
  /** Line a new "ignore in this file" comment goes on (after a shebang or parser directives). */
  fileIgnoreLine(model: M, document: DocumentModel): number;
  /** Another tool's ignore comment honoured in this kind (`# hadolint ignore=DL3006`): the rule ids it names. */
  foreignIgnore?(lineText: string): { rules: Set<string>; fileWide: boolean } | undefined;
}

/** The kind's part in incremental linting (see engine/incremental.ts). */
export interface IncrementalSupport<M> {
  /** The document's top-level pieces in line order, or undefined when it cannot be split safely. */
  anchors(model: M, document: DocumentModel): Anchor[] | undefined;
  /** Characters that join a line with the next when they end it (`\`). */
  readonly lineContinuations: readonly string[];
  /** Lines after the last piece are context for every piece (YAML keys after `services:`). */
  readonly trailingLinesAreContext: boolean;
  /**
   * Pieces may carry facts other pieces depend on as data (`Anchor.variables`, `Anchor.images`):
   * a partial lint gathers those of the other pieces. Kinds without them skip that pass over every
   * piece (about a millisecond per keystroke on a 3,000-line Dockerfile).
   */
  readonly piecesCarryFacts?: boolean;
  /** Whether an edited region still has the shape its pieces need (YAML: the same indentation). */
  regionKeepsStructure?(edit: RegionEdit): boolean;
}

/** An edited region of a document, for `IncrementalSupport.regionKeepsStructure`. */
export interface RegionEdit {
  /** The region's new lines. */
  region: readonly string[];
  /** The first unit the region replaces, in old lines [start, end]. */
  replaced: { start: number; end: number };
  oldIndex: LineIndex;
  /** The pieces found in the new region, in new lines. */
  anchors: readonly Anchor[];
  index: LineIndex;
}

/** Gives an adapter object its type; the compiler then lists anything it lacks. */
export function defineKind<M, Id extends string>(adapter: KindAdapter<M, Id>): KindAdapter<M, Id> {
  return adapter;
}
