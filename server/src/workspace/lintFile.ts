import type { SourcedVariables } from '../shell/commandVariables';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FileKind } from '../engine/types';
import type { LintResult } from '../engine/lint';
import type { Engine } from '../engine/engine';
import type { DocumentModel } from '../engine/documentModel';
import type { LintInput } from '../engine/settings';
import type { ScriptIndex } from './buildScriptIndex';
import { ScriptContext, scriptContextOf } from './scriptContext';
import type { HostOverrides, SettingsResolver } from './settingsResolver';
import type { KindRegistry } from '../kinds';
import { readTextSync, SUPPORT_FILE_MAX_BYTES } from './safeRead';

/** What a host knows about a file beyond its text. */
export interface FileFacts {
  path: string;
  kind: FileKind;
  text: string;
  /** Scripts Dockerfiles in the workspace copy in and run, by use (absolute paths). */
  buildScripts?: ScriptIndex;
  /** Scan or workspace roots and repository roots: CI folders are recognised below them. */
  roots?: readonly string[];
  overrides?: HostOverrides;
  /** Registry facts for `image-digest-stale` (`name:tag` → current digest), when the host has them. */
  currentDigests?: ReadonlyMap<string, string>;
  /**
   * The `.env` beside a file whose kind reads it, when the host already knows it (null: there is none); read from disk
   * otherwise.
   */
  dotenv?: string | null;
  /** Dockerfiles: the named build contexts the workspace's builds give it (see `LintInput.namedContexts`). */
  namedContexts?: readonly string[];
  /** Shell scripts: the variables the files it sources set (see `LintInput.sourcedVariables`). */
  sourcedVariables?: SourcedVariables;
}

/** The engine's result plus the exact input it was given (hosts reuse it for code actions). */
export type FileLintResult = LintResult & { input: LintInput };

/**
 * Lints one file with the settings, `.env` and shell context that apply to it on disk. `earlier`: the
 * file's model as a host's pass read it, whose parse the lint may read again (`Engine.model`).
 */
export function lintFile(
  engine: Engine,
  facts: FileFacts,
  resolver: SettingsResolver,
  earlier?: DocumentModel,
): FileLintResult {
  const input = lintInputFor(engine.kinds, facts, resolver);
  return { ...engine.lint(input, earlier), input };
}

/** The engine input for a file on disk: its config's settings, `.env` (Compose) and shell context. */
export function lintInputFor(kinds: KindRegistry, facts: FileFacts, resolver: SettingsResolver): LintInput {
  const settings: LintInput['settings'] = {
    ...resolver.settingsFor(facts.path, facts.overrides),
    ...(facts.currentDigests ? { currentDigests: facts.currentDigests } : {}),
  };
  let script: ScriptContext | undefined;
  const kind = kinds.get(facts.kind);
  if (kind.runByOtherFiles) {
    const text = facts.text;
    script = scriptContextOf(
      {
        path: path.resolve(facts.path),
        firstLine: text.slice(0, text.indexOf('\n') >>> 0),
        configuredBuildScript: resolver.isBuildScript(facts.path),
        text,
      },
      facts.buildScripts,
      facts.roots,
    );
  }
  const dotenv = !kind.readsDotenv
    ? undefined
    : facts.dotenv !== undefined
      ? (facts.dotenv ?? undefined)
      : readDotenvBeside(facts.path);
  return {
    uri: pathToFileURL(facts.path).toString(),
    text: facts.text,
    kind: facts.kind,
    settings,
    ...(script ? { shellContext: script.shellContext } : {}),
    ...(script?.scriptRole ? { scriptRole: script.scriptRole } : {}),
    ...(dotenv !== undefined ? { dotenv } : {}),
    ...(facts.namedContexts && facts.namedContexts.length > 0 ? { namedContexts: facts.namedContexts } : {}),
    ...(kind.runByOtherFiles && facts.sourcedVariables ? { sourcedVariables: facts.sourcedVariables } : {}),
  };
}

/**
 * `readDotenvBeside` for the files of one scan, each folder's `.env` read once: its text, or null when
 * there is none or it may not be read (reported once to `onSkipped`).
 */
export function dotenvReader(
  within?: readonly string[],
  onSkipped?: (filePath: string, reason: string) => void,
): (filePath: string) => string | null {
  const byFolder = new Map<string, string | null>();
  return (filePath) => {
    const folder = path.dirname(path.resolve(filePath));
    let dotenv = byFolder.get(folder);
    if (dotenv === undefined) byFolder.set(folder, (dotenv = readDotenvBeside(filePath, within, onSkipped) ?? null));
    return dotenv;
  };
}

/**
 * The `.env` file in a Compose file's folder, if there is one and it may be read: a regular file
 * within the size cap, and, when `within` is given (the scanned folders), no link to a file
 * outside them — its values would end up in messages (and in uploaded SARIF). Why one was not
 * read goes to `onSkipped`.
 */
export function readDotenvBeside(
  composePath: string,
  within?: readonly string[],
  onSkipped?: (filePath: string, reason: string) => void,
): string | undefined {
  const file = path.join(path.dirname(composePath), '.env');
  const read = readTextSync(file, { maxBytes: SUPPORT_FILE_MAX_BYTES, ...(within ? { within } : {}) });
  if (!('skipped' in read)) return read.text;
  if (read.skipped !== 'cannot read: ENOENT') onSkipped?.(file, `not read: ${read.skipped}`);
  return undefined;
}
