import type { DocumentModel } from '../engine/documentModel';
import { ciStepScripts } from '../shell/ciStepScripts';
import { emptyScriptUse, ScriptUse } from '../workspace/buildScriptIndex';

/**
 * The script use of a CI file: the repository's scripts its steps run on the runner, as paths
 * relative to the file's folder. `rootFolder` says where the job's working directory (the
 * repository root) is from the file's `/`-separated path: `../..` for `.github/workflows/x.yml`,
 * `''` for the file's own folder, undefined when it is not known (then no script is named).
 */
export function ciStepScriptUse(
  document: DocumentModel,
  rootFolder: (filePath: string) => string | undefined,
): ScriptUse {
  const up = rootFolder(documentPath(document.source.uri));
  if (up === undefined) return emptyScriptUse();
  const prefix = up ? up + '/' : '';
  return { ...emptyScriptUse(), ephemeral: ciStepScripts(document.shell.commands).map((p) => prefix + p) };
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
export function upToFolderHolding(marker: string): (filePath: string) => string | undefined {
  return (filePath) => {
    const folders = filePath.split('/').slice(0, -1);
    const at = folders.lastIndexOf(marker);
    if (at < 0) return undefined;
    return Array(folders.length - at)
      .fill('..')
      .join('/');
  };
}
