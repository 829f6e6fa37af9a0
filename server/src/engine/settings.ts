import type { ExecutionContext, FileKind, Severity } from './types';
import type { SourcedVariables, VariableChange } from '../shell/commandVariables';

/** Everything the engine needs besides the text; built by the hosts from config files and editor settings. */
export interface EngineSettings {
  /** Effective severity for every rule id in the catalog (missing ids count as `off`). */
  severities: Readonly<Record<string, Severity>>;
  /** `images.allow` patterns: references matching one are never flagged. */
  imagesAllow: readonly string[];
  /**
   * Registry facts fetched by the host (never by the engine): `name:tag` → the digest that tag
   * points to now. Only `image-digest-stale` reads it; absent entries mean "not known".
   */
  currentDigests?: ReadonlyMap<string, string>;
}

/** One document to lint, of one of the engine's kinds. */
export interface LintInput<K extends string = FileKind> {
  uri: string;
  text: string;
  kind: K;
  settings: EngineSettings;
  /**
   * For shell scripts: `build` when the host knows the script runs during an image build
   * (a Dockerfile copies and runs it, or it matches `buildScripts`); `ephemeral` when it runs on
   * a CI runner or in a throwaway container; otherwise `live`.
   */
  shellContext?: ExecutionContext;
  /**
   * For live shell scripts: `entrypoint` when the script runs inside containers of an image (a
   * Dockerfile names it in ENTRYPOINT/CMD or copies it into the image without running it at build),
   * so its changes land in the container at every start (messages say so).
   */
  scriptRole?: 'entrypoint';
  /** Compose: text of the `.env` file beside the compose file, when there is one. */
  dotenv?: string;
  /**
   * Dockerfiles: names of the named build contexts a Compose file (`build.additional_contexts`), a
   * bake file (`contexts`) or a `docker buildx build --build-context` gives this Dockerfile. A
   * `FROM <name>` or `COPY --from=<name>` then takes that context, not an image of that name.
   */
  namedContexts?: readonly string[];
  /**
   * Shell scripts: the command and path variables and argument-running helpers set at the top level
   * of the files the script sources (`. ./env.sh`), as `Engine.sourcedVariables` gives them. The
   * script starts with them; its own assignments come after.
   */
  sourcedVariables?: SourcedVariables;
  /** Set by incremental linting only, on the partial document it lints (see `PartialFacts`). */
  partial?: PartialFacts;
}

/**
 * What incremental linting tells the partial document it lints about the rest of the document, as
 * data instead of text: the partial text holds the re-linted region with its neighbours, not the
 * statements these facts come from.
 */
export interface PartialFacts {
  /** Offset in the partial text where the re-linted region starts. */
  regionStart: number;
  /**
   * The changes the document's statements before the region made to a script's command and path
   * variables: the region starts with them, whatever the partial text before it says.
   */
  variablesBefore: readonly VariableChange[];
  /** Images the rest of the document builds, tags or commits (a script's `docker run` of one pulls nothing). */
  imagesMadeElsewhere: readonly string[];
}
