import { namedContextPath } from '../shell/stageFiles';
import * as path from 'node:path';
import { readText, SUPPORT_FILE_MAX_BYTES } from './safeRead';
import { globMatcher } from './globMatcher';
import { templateBuildScripts } from './imageBuildTemplates';
import type { Engine } from '../engine/engine';
import { toPosix } from './posixPath';

/** Scripts a file copies in, by how it runs them (paths relative to its build context). */
export interface ScriptUse {
  /** Run by RUN: part of the image build. */
  build: string[];
  /** Named by ENTRYPOINT, CMD or HEALTHCHECK: run in the container at every start. */
  entrypoint: string[];
  /** Copied into a folder an init system runs at container start: files, whole folders or globs. */
  startup: string[];
  /** Copied into a shipped image (files, folders, globs): whatever the build does not run runs in its containers. */
  image: string[];
  /** Copied only into builder stages: run, if at all, during the build. */
  builder: string[];
  /** Run by CI steps on the runner, a machine thrown away after the job. */
  ephemeral?: string[];
}

/** Absolute paths of scripts Dockerfiles of the workspace copy in, by use, and other facts on how scripts run. */
export interface ScriptIndex {
  build: Set<string>;
  entrypoint: Set<string>;
  /** Files, folders (everything under them) and globs an init system runs at container start. */
  startup: Set<string>;
  /** Files, folders and globs copied into shipped images. */
  image: Set<string>;
  /** Files, folders and globs copied only into builder stages. */
  builder: Set<string>;
  /** Scripts run on machines thrown away after the run: CI runners, `docker run --rm` containers. */
  ephemeral: Set<string>;
}

/** Whether the index says the script at `absolutePath` runs at every container start. */
export function runsAtContainerStart(index: ScriptIndex, absolutePath: string): boolean {
  return index.entrypoint.has(absolutePath) || covers(index.startup, absolutePath);
}

/** Whether `absolutePath` is one of the entries, inside a folder entry, or matched by a glob entry. */
export function covers(entries: ReadonlySet<string>, absolutePath: string): boolean {
  const lookup = lookupOf(entries);
  let posix: string | undefined;
  for (let p = absolutePath; ;) {
    if (lookup.plain.has(p)) return true;
    const globs = lookup.globsBelow.get(p);
    if (globs && globs.some((matches) => matches((posix ??= toPosix(absolutePath))))) return true;
    const up = path.dirname(p);
    if (up === p) return false;
    p = up;
  }
}

interface Lookup {
  size: number;
  plain: Set<string>;
  /** Compiled globs by the folder before their first wildcard. */
  globsBelow: Map<string, Array<(p: string) => boolean>>;
}

/**
 * Entries split once per set into plain paths and globs filed by their fixed folder, both checked
 * against a file and its folders: a scan checks every script against thousands of entries.
 */
const lookups = new WeakMap<ReadonlySet<string>, Lookup>();

function lookupOf(entries: ReadonlySet<string>): Lookup {
  let lookup = lookups.get(entries);
  if (!lookup || lookup.size !== entries.size) {
    lookup = { size: entries.size, plain: new Set(), globsBelow: new Map() };
    for (const entry of entries) {
      const wildcard = entry.search(/[*?[]/);
      if (wildcard < 0) {
        lookup.plain.add(entry);
        continue;
      }
      const folder = entry.slice(0, Math.max(entry.lastIndexOf(path.sep, wildcard), 0)) || path.sep;
      const list = lookup.globsBelow.get(folder) ?? [];
      list.push(globMatcher(toPosix(entry)));
      lookup.globsBelow.set(folder, list);
    }
    lookups.set(entries, lookup);
  }
  return lookup;
}

/**
 * Turns a path relative to a file's build context into an absolute path. By default the build
 * context is the file's folder; hosts that know more (Compose `build.context`, a
 * `docker build -f` in a script, which files exist) pass their own.
 */
export type ContextLocator = (runnerPath: string, relative: string) => string | undefined;

/** The file's folder as its build context; paths in named contexts (`context://name/…`) are not known. */
export const RUNNER_FOLDER: ContextLocator = (runnerPath, relative) =>
  namedContextPath(relative) ? undefined : path.resolve(path.dirname(runnerPath), relative);

/** Resolves the scripts files copy in and run against each file's build context. */
export function collectScripts<K extends string>(
  engine: Engine<K>,
  sources: ReadonlyArray<{ path: string; kind: K; text: string }>,
  locate: ContextLocator = RUNNER_FOLDER,
): ScriptIndex {
  const index = emptyScriptIndex();
  for (const source of sources) addScriptUse(index, source.path, engine.scriptUses(source), locate);
  return index;
}

export function emptyScriptIndex(): ScriptIndex {
  return {
    build: new Set(),
    entrypoint: new Set(),
    startup: new Set(),
    image: new Set(),
    builder: new Set(),
    ephemeral: new Set(),
  };
}

export function emptyScriptUse(): ScriptUse {
  return { build: [], entrypoint: [], startup: [], image: [], builder: [] };
}

/** Whether an index has no entry at all. */
export function isEmptyIndex(index: ScriptIndex): boolean {
  return Object.values(index).every((set: Set<string>) => set.size === 0);
}

const USES = ['build', 'entrypoint', 'startup', 'image', 'builder', 'ephemeral'] as const;

/** Adds one file's script use to the index, resolved against its build context. */
export function addScriptUse(
  index: ScriptIndex,
  runnerPath: string,
  use: ScriptUse,
  locate: ContextLocator = RUNNER_FOLDER,
): void {
  for (const key of USES)
    for (const relative of use[key] ?? []) {
      const located = locate(runnerPath, relative);
      if (located !== undefined) index[key].add(located);
    }
}

/** Adds every entry of `from` to `into`. */
export function mergeScriptIndex(into: ScriptIndex, from: ScriptIndex): void {
  for (const key of Object.keys(into) as Array<keyof ScriptIndex>) for (const entry of from[key]) into[key].add(entry);
}

/**
 * Adds the scripts Packer templates and dev container features run at image build (read from disk:
 * regular files within the support-file cap; others are passed to `onSkipped` and their scripts stay live).
 */
export async function addTemplateScripts(
  index: ScriptIndex,
  templatePaths: readonly string[],
  onSkipped?: (filePath: string, reason: string) => void,
): Promise<void> {
  for (const templatePath of templatePaths) {
    const read = await readText(templatePath, { maxBytes: SUPPORT_FILE_MAX_BYTES });
    if ('skipped' in read) onSkipped?.(templatePath, `not read: ${read.skipped}`);
    else for (const script of templateBuildScripts(templatePath, read.text)) index.build.add(script);
  }
}
