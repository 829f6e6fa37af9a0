import type { Range } from '../engine/types';
import type { SourcedVariables } from './commandVariables';

/**
 * A file a script sources (`. ./env.sh`, `source "$(dirname "$0")/lib.sh"`), found among its
 * unconditional top-level commands by the parser. `path` is relative (never absolute: a file outside
 * the repository, such as `/etc/profile`, is the running machine's, not the repository's) to:
 * - `script`: the folder of the script that was run (`$0`);
 * - `file`: the folder of the file that holds the `source` line (`${BASH_SOURCE[0]}`);
 * - `cwd`: the working directory, which the host guesses (the file's folder, then the roots).
 */
export interface SourcedFile {
  path: string;
  from: 'script' | 'file' | 'cwd';
  /** The path argument as written. */
  range: Range;
}

/** What a script gives the scripts that source it, and what it sources itself. */
export interface Sourcing {
  /** Command and path variables and argument-running helpers set at its top level. */
  variables: SourcedVariables;
  /** The files it sources, in order. */
  files: SourcedFile[];
}

/** A folder relative to the script's (`$0`) or the file's own (`BASH_SOURCE`) folder. */
export interface FolderOf {
  from: 'script' | 'file';
  /** `''` for the folder itself, else a relative path from it (`..`). */
  relative: string;
}

const ARG = String.raw`(?:\$0|\$\{0\}|\$BASH_SOURCE|\$\{BASH_SOURCE(?:\[0\])?\})`;
/** `$(dirname "$0")`, `$(dirname -- "${BASH_SOURCE[0]}")`, `$(dirname "$(readlink -f "$0")")`. */
const RESOLVED = String.raw`\$\(\s*(?:readlink\s+-f|realpath)\s+"?${ARG}"?\s*\)`;
const DIRNAME = String.raw`\$\(\s*dirname\s+(?:--\s+)?"?(?:${ARG}|${RESOLVED})"?\s*\)`;
/** `${0%/*}`, `${BASH_SOURCE%/*}`, `${BASH_SOURCE[0]%/*}`. */
const TRIMMED = String.raw`\$\{(?:0|BASH_SOURCE(?:\[0\])?)%\/\*\}`;
const FOLDER = String.raw`(?:${DIRNAME}|${TRIMMED})`;
/** `$(cd "$(dirname "$0")/.." && pwd)`, `$(cd -P -- "$(dirname -- "$0")" >/dev/null 2>&1; pwd -P)`. */
const CD_PWD = new RegExp(
  String.raw`^\$\(\s*cd\s+(?:-P\s+)?(?:--\s+)?"?(${FOLDER})((?:\/[\w.-]+)*)\/?"?\s*` +
    String.raw`(?:[12]?>\s*\/dev\/null\s*|2>&1\s*)*(?:&&|;)\s*pwd(?:\s+-P)?\s*\)`,
);
const PLAIN_FOLDER = new RegExp(String.raw`^(${FOLDER})`);

/**
 * The folder a value names when it is one of the usual ways to say "the script's folder" (optionally
 * a folder relative to it), and what follows it; undefined otherwise. `value`: a decoded word
 * (expansions as written, quotes inside them kept).
 */
export function scriptFolderPrefix(value: string): { folder: FolderOf; rest: string } | undefined {
  const cd = CD_PWD.exec(value);
  const match = cd ?? PLAIN_FOLDER.exec(value);
  if (!match) return undefined;
  const from = /BASH_SOURCE/.test(match[1]!) ? 'file' : 'script';
  const relative = cd?.[2] ? cd[2].slice(1) : '';
  return { folder: { from, relative }, rest: value.slice(match[0].length) };
}

/**
 * A sourced path from a decoded argument: a plain relative path, or one of the script-folder forms
 * (`$(dirname "$0")/lib.sh`, `$DIR/lib.sh` with DIR such a folder, from `folders`) followed by a
 * plain path. Undefined for absolute paths, other expansions and globs.
 */
export function sourcedPath(
  value: string,
  literal: boolean,
  folders: ReadonlyMap<string, FolderOf>,
): Omit<SourcedFile, 'range'> | undefined {
  if (literal) return PLAIN_PATH.test(value) && !value.startsWith('/') ? { path: tidy(value), from: 'cwd' } : undefined;
  let folder: FolderOf | undefined;
  let rest: string;
  const prefix = scriptFolderPrefix(value);
  if (prefix) {
    folder = prefix.folder;
    rest = prefix.rest;
  } else {
    const variable = /^\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))/.exec(value);
    folder = variable ? folders.get((variable[1] ?? variable[2])!) : undefined;
    rest = variable ? value.slice(variable[0].length) : '';
  }
  if (!folder || !rest.startsWith('/') || !PLAIN_PATH.test(rest.slice(1))) return undefined;
  const joined = folder.relative ? `${folder.relative}/${rest.slice(1)}` : rest.slice(1);
  return { path: tidy(joined), from: folder.from };
}

/** A relative path of plain names (no expansion, glob or quote left). */
const PLAIN_PATH = /^[\w.+@-][\w./+@-]*$/;

function tidy(p: string): string {
  return p.replace(/^(?:\.\/)+/, '');
}
