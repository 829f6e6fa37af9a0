import * as path from 'node:path';
import type { Engine, ModelSource } from '../engine/engine';
import type { FileKind } from '../engine/types';
import { bakeBuilds, isBakeFile } from '../model/bake';
import type { BuildDefinition } from '../model/buildDefinition';
import type { BuildContexts } from './buildContexts';
import { readText, SUPPORT_FILE_MAX_BYTES } from './safeRead';
import { readSource } from './readSource';
import { readDotenvBeside } from './lintFile';

/** Whether the file at `filePath` is a bake file (`docker-bake.hcl`, `docker-bake.override.json`, …). */
export function isBakeFilePath(filePath: string): boolean {
  return isBakeFile(path.basename(filePath));
}

/** A file of the workspace as read for linting (Compose files with the `.env` beside them). */
export interface DefiningSource {
  path: string;
  kind: FileKind;
  text: string;
  dotenv?: string | null;
}

/**
 * Reads the files of kinds that define builds (Compose, scripts, CI files), with the `.env` beside
 * those that read one; files that cannot be read define nothing.
 */
export async function readDefiningSources(
  engine: Engine,
  files: ReadonlyArray<{ path: string; kind: FileKind }>,
  options: { maxBytes?: number; within?: readonly string[] } = {},
): Promise<DefiningSource[]> {
  const sources: DefiningSource[] = [];
  for (const file of files) {
    const kind = engine.kinds.get(file.kind);
    if (!kind.buildDefinitions) continue;
    const read = await readSource(file.path, options.maxBytes);
    if ('skipped' in read) continue;
    const dotenv = kind.readsDotenv ? { dotenv: readDotenvBeside(file.path, options.within) ?? null } : {};
    sources.push({ path: file.path, kind: file.kind, text: read.text, ...dotenv });
  }
  return sources;
}

/**
 * Teaches `contexts` the builds the workspace defines — Compose services' `build:`, `docker build
 * -f …` in scripts and CI files, bake files' targets — so each Dockerfile's copied files are looked
 * up where its builds take them from, and its named contexts are known. Bake files (not linted) are
 * read here: regular files within the support-file cap and, with `within`, no links leaving those
 * folders; one that cannot be read or parsed goes to `onSkipped` and defines nothing.
 */
export async function addBuildDefinitions(
  contexts: BuildContexts,
  engine: Engine,
  sources: readonly DefiningSource[],
  bakeFiles: readonly string[],
  options: { within?: readonly string[]; onSkipped?: (filePath: string, reason: string) => void } = {},
): Promise<void> {
  for (const source of sources) addDefinitionsOf(contexts, engine, source);
  await addBakeDefinitions(contexts, bakeFiles, options);
}

/**
 * `addBuildDefinitions` for one source file. `models`: where its model comes from (default: the
 * engine, a model per call).
 */
export function addDefinitionsOf(
  contexts: BuildContexts,
  engine: Engine,
  source: DefiningSource,
  models: ModelSource = engine,
): void {
  for (const definition of engine.buildDefinitions(source, models))
    contexts.addDefinition(path.resolve(source.path), definition);
}

/** `addBuildDefinitions` for the bake files alone. */
export async function addBakeDefinitions(
  contexts: BuildContexts,
  bakeFiles: readonly string[],
  options: { within?: readonly string[]; onSkipped?: (filePath: string, reason: string) => void } = {},
): Promise<void> {
  for (const bakeFile of bakeFiles) {
    const builds = await bakeDefinitions(bakeFile, options);
    if ('skipped' in builds) options.onSkipped?.(bakeFile, builds.skipped);
    else for (const definition of builds) contexts.addDefinition(path.resolve(bakeFile), definition);
  }
}

/**
 * The builds a bake file defines: `text` when given (the file as an editor holds it), else read from
 * disk as untrusted (regular files within the support-file cap; with `within`, no links leaving those
 * folders); `skipped` says why a file that cannot be read or parsed defines nothing.
 */
export async function bakeDefinitions(
  bakeFile: string,
  options: { within?: readonly string[]; text?: string } = {},
): Promise<BuildDefinition[] | { skipped: string }> {
  let text = options.text;
  if (text === undefined) {
    const read = await readText(bakeFile, {
      maxBytes: SUPPORT_FILE_MAX_BYTES,
      ...(options.within ? { within: options.within } : {}),
    });
    if ('skipped' in read) return { skipped: `not read: ${read.skipped}` };
    text = read.text;
  }
  try {
    return bakeBuilds(text, bakeFile.endsWith('.json') ? 'json' : 'hcl');
  } catch (error) {
    return { skipped: `not read: invalid bake file (${(error as Error).message})` };
  }
}
