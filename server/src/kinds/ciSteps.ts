import * as path from 'node:path';
import type { DocumentModel } from '../engine/documentModel';
import type { BuildDefinition } from '../model/buildDefinition';
import { isLocalContext } from '../model/buildDefinition';
import { buildCommandDefinition, LOCAL_PLACES, shellBuildDefinitions } from '../shell/buildCommands';
import { ciStepCommands, ciStepScripts, CiShellRun, CiStepCommand } from '../shell/ciStepScripts';
import { emptyScriptUse, ScriptUse } from '../workspace/buildScriptIndex';

/** Where a CI file's job workspace (the repository root) is from its path: see `upToFolderHolding`. */
export type RootFolder = (filePath: string) => string | undefined;

/**
 * The script use of a CI file: the repository's scripts its steps run on the runner, as paths
 * relative to the file's folder. `rootFolder` says where the job's workspace (the repository root)
 * is from the file's `/`-separated path: `../..` for `.github/workflows/x.yml`, `''` for the file's
 * own folder, undefined when it is not known (then no script is named).
 */
export function ciStepScriptUse(
  document: DocumentModel,
  runs: readonly CiShellRun[],
  rootFolder: RootFolder,
): ScriptUse {
  const up = rootFolder(documentPath(document.source.uri));
  if (up === undefined) return emptyScriptUse();
  return { ...emptyScriptUse(), ephemeral: ciStepScripts(commandsOf(document, runs)).map((p) => joinUp(up, p)) };
}

/**
 * The builds a CI file's steps run (`docker build -f … <context>`), with paths against the file's
 * folder: each command's own folder (the step's working directory, moved by `cd`) is known, so no
 * other base is tried. A command from a folder the step does not settle defines nothing. When the
 * workspace's place is not known (an action outside `.github/`), the paths are guessed as for a script.
 */
export function ciStepBuildDefinitions(
  document: DocumentModel,
  runs: readonly CiShellRun[],
  rootFolder: RootFolder,
): BuildDefinition[] {
  const up = rootFolder(documentPath(document.source.uri));
  if (up === undefined) return shellBuildDefinitions(document);
  if (!/(?:^|\s)(?:-f|--file|--build-context)/m.test(document.source.text)) return [];
  const definitions: BuildDefinition[] = [];
  for (const { command, folder } of commandsOf(document, runs)) {
    if (folder === undefined || !LOCAL_PLACES.has(command.place)) continue;
    const definition = buildCommandDefinition(command.argv);
    if (!definition) continue;
    const place = (p: string) => (path.posix.isAbsolute(p) ? p : joinUp(up, path.posix.join(folder, p)));
    definitions.push({
      base: 'file',
      context: place(definition.context),
      dockerfile: place(definition.dockerfile),
      namedContexts: definition.namedContexts.map(([name, value]) => [
        name,
        isLocalContext(value) ? place(value) : value,
      ]),
    });
  }
  return definitions;
}

function commandsOf(document: DocumentModel, runs: readonly CiShellRun[]): CiStepCommand[] {
  const bySnippet = document.shell.commandsBySnippet;
  return ciStepCommands(runs, (snippet) => bySnippet.get(snippet) ?? []);
}

function joinUp(up: string, relative: string): string {
  return up ? path.posix.join(up, relative) : relative;
}

/** The path of a `file:` URI (`/`-separated), or the URI itself for other schemes. */
function documentPath(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return uri;
  }
}

/**
 * The way up to the folder holding `marker`: `../..` from `<root>/.github/workflows/x.yml`, `../../..`
 * from `<root>/.gitlab/ci/a/x.yml`; undefined when no folder of the path is `marker`.
 */
export function upToFolderHolding(marker: string): RootFolder {
  return (filePath) => {
    const folders = filePath.split('/').slice(0, -1);
    const at = folders.lastIndexOf(marker);
    if (at < 0) return undefined;
    return Array(folders.length - at)
      .fill('..')
      .join('/');
  };
}
