import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { templateBuildScripts } from './imageBuildTemplates';
import { pathToFileURL } from 'node:url';
import type { FileKind } from '../engine/types';
import type { EngineSettings } from '../engine/settings';
import { DocumentModel } from '../engine/documentModel';
import { FILE_KINDS } from '../kinds';

/** A file whose kind runs scripts (a Dockerfile), as read by a host. */
export interface ScriptRunnerSource {
  path: string;
  text: string;
  kind: FileKind;
  /** The file as already parsed by a lint, to avoid a second parse. */
  model?: DocumentModel;
}

/** Scripts a file copies in, by how it runs them (paths relative to the file's folder). */
export interface ScriptUse {
  /** Run by RUN: part of the image build. */
  build: string[];
  /** Named by ENTRYPOINT or CMD: run in the container at every start. */
  entrypoint: string[];
  /** Copied into a folder an init system runs at container start: files, whole folders or globs. */
  startup: string[];
}

/** Absolute paths of scripts Dockerfiles of the workspace copy in, by use. */
export interface ScriptIndex {
  build: Set<string>;
  entrypoint: Set<string>;
  /** Files, folders (everything under them) and globs an init system runs at container start. */
  startup: Set<string>;
}

/** Whether the index says the script at `absolutePath` runs at every container start. */
export function runsAtContainerStart(index: ScriptIndex, absolutePath: string): boolean {
  if (index.entrypoint.has(absolutePath)) return true;
  for (const entry of index.startup) {
    if (absolutePath === entry || absolutePath.startsWith(entry + path.sep)) return true;
    if (/[*?[]/.test(entry) && globMatcher(entry)(toPosix(absolutePath))) return true;
  }
  return false;
}

/** Compiled start-up globs: every shell file of a scan is checked against the same few. */
const globMatchers = new Map<string, (p: string) => boolean>();

function globMatcher(glob: string): (p: string) => boolean {
  let matcher = globMatchers.get(glob);
  if (!matcher) {
    // Globs typed in an open Dockerfile come and go: the table starts over rather than grow.
    if (globMatchers.size >= 256) globMatchers.clear();
    matcher = picomatch(toPosix(glob), { dot: true });
    globMatchers.set(glob, matcher);
  }
  return matcher;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** Whether files of this kind run scripts (their scripts are indexed, and they are linted first). */
export function runsScripts(kind: FileKind): boolean {
  return FILE_KINDS.get(kind).scriptUses !== undefined;
}

/**
 * Resolves the scripts files copy in and run against each file's folder (for a Dockerfile, the
 * usual build context).
 */
export function collectScripts(sources: readonly ScriptRunnerSource[]): ScriptIndex {
  const index = emptyScriptIndex();
  for (const source of sources) addScriptUse(index, source.path, scriptUseOf(source));
  return index;
}

export function emptyScriptIndex(): ScriptIndex {
  return { build: new Set(), entrypoint: new Set(), startup: new Set() };
}

/** The scripts one file copies in and runs (plain data: it may cross threads); none for kinds that run none. */
export function scriptUseOf(source: ScriptRunnerSource): ScriptUse {
  const kind = FILE_KINDS.get(source.kind);
  if (!kind.scriptUses) return { build: [], entrypoint: [], startup: [] };
  const model =
    source.model ??
    new DocumentModel(
      { uri: pathToFileURL(source.path).toString(), text: source.text, kind: source.kind, settings: NO_SETTINGS },
      kind,
    );
  return kind.scriptUses(model.parsed, model);
}

const NO_SETTINGS: EngineSettings = { severities: {}, imagesAllow: [] };

/** Adds one Dockerfile's script use to the index, resolved against the Dockerfile's folder. */
export function addScriptUse(index: ScriptIndex, dockerfilePath: string, use: ScriptUse): void {
  const dir = path.dirname(dockerfilePath);
  for (const relative of use.build) index.build.add(path.resolve(dir, relative));
  for (const relative of use.entrypoint) index.entrypoint.add(path.resolve(dir, relative));
  for (const relative of use.startup) index.startup.add(path.resolve(dir, relative));
}

/** Adds the scripts Packer templates and dev container features run at image build (read from disk). */
export async function addTemplateScripts(index: ScriptIndex, templatePaths: readonly string[]): Promise<void> {
  for (const templatePath of templatePaths) {
    try {
      const stat = await fs.promises.stat(templatePath);
      if (stat.size > 1024 * 1024) continue;
      for (const script of templateBuildScripts(templatePath, await fs.promises.readFile(templatePath, 'utf8')))
        index.build.add(script);
    } catch {
      /* unreadable template: its scripts stay live */
    }
  }
}
