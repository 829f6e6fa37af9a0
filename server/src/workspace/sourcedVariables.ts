import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Engine } from '../engine/engine';
import type { FileKind } from '../engine/types';
import type { SourcedVariables } from '../shell/commandVariables';
import type { SourcedFile, Sourcing } from '../shell/sourcing';
import { DEFAULT_MAX_FILE_BYTES, readSourceSync } from './readSource';
import { realFolders } from './safeRead';

/** A shell script a host has read. */
export interface ReadScript {
  path: string;
  kind: FileKind;
  text: string;
}

/** The variables a script's sourced files give it, and every file that was read for them. */
export interface SourcedResult {
  /** None when the script sources nothing that could be read. */
  variables?: SourcedVariables;
  /** Absolute paths of the sourced files read (nested ones included): a change to one changes the result. */
  files: string[];
}

export interface SourcedLimits {
  /** Levels of `source` followed: 1 is the script's own sourced files. */
  depth: number;
  /** Files read for one script, nested ones included. */
  files: number;
  /** Largest sourced file read. */
  bytes: number;
}

/**
 * A repository may be hostile: a `source` chain is followed a few levels deep, through a bounded
 * number of small files, never twice through the same file (loops), and only inside the folders.
 */
export const SOURCED_LIMITS: SourcedLimits = { depth: 4, files: 16, bytes: DEFAULT_MAX_FILE_BYTES };

export interface SourcedReaderOptions {
  /**
   * Scanned or workspace folders: a sourced file is read only when it lies inside one of them, also
   * with its links resolved (`source /etc/profile`, `../../outside.sh`, a link or a linked folder
   * out of the tree are never read).
   */
  within: readonly string[];
  /** Folders a path relative to the working directory is also tried from (scan, repository roots); default `within`. */
  roots?: readonly string[];
  /** A host's own text of a file (an editor's unsaved buffer, a text a scan read); else the disk is read. */
  known?: (absolutePath: string) => string | undefined;
  limits?: SourcedLimits;
}

/**
 * Works out, for a shell script, the command and path variables and argument-running helpers that
 * the files it sources set at their top level (`LintInput.sourcedVariables`): the files the parser
 * finds on the script's unconditional top-level `source`/`.` lines (see `ShellAnalyzer.sourcing`),
 * what those source in turn first, later files winning. The CLI, the editor and the workspace scan
 * share it, so they see the same variables. Files are read as regular files only (never a FIFO or
 * device), within `limits`; each file's parse is kept while its text is the same.
 */
export class SourcedVariablesReader {
  private readonly parsed = new Map<string, { text: string; sourcing: Sourcing | undefined }>();
  // Folders as sets, asked for each folder above a path: a scan of a file list has one folder per
  // file's folder (709 for the corpus's scripts), each compared with every candidate before.
  private readonly within: ReadonlySet<string>;
  private readonly lexicalWithin: ReadonlySet<string>;
  /** The roots relative paths are also tried from, resolved once. */
  private readonly roots: readonly string[];
  private readonly limits: SourcedLimits;

  constructor(
    private readonly engine: Engine,
    private readonly options: SourcedReaderOptions,
  ) {
    this.within = new Set(realFolders(options.within));
    this.lexicalWithin = new Set(options.within.map((folder) => path.resolve(folder)));
    this.roots = (options.roots ?? options.within).map((r) => path.resolve(r));
    this.limits = options.limits ?? SOURCED_LIMITS;
  }

  /**
   * Whether a script may source a file a host can look up (cheap: no parse), so that most scripts
   * are not parsed a second time; the parser decides what it does source.
   */
  static mightSource(text: string): boolean {
    for (const match of text.matchAll(SOURCE_WORD)) if (mayBeLookedUp(match[1]!, text)) return true;
    return false;
  }

  variablesOf(script: ReadScript): SourcedResult {
    const files: string[] = [];
    if (!this.engine.kinds.get(script.kind).runByOtherFiles || !SourcedVariablesReader.mightSource(script.text))
      return { files };
    const own = path.resolve(script.path);
    const walk = { top: own, seen: new Set([own]), files };
    const found = this.sourcingOf(own, script.text)
      ?.files.map((file) => this.follow(file, own, 1, walk))
      .filter((v): v is SourcedVariables => v !== undefined);
    return found && found.length > 0 ? { variables: merged(found), files } : { files };
  }

  /** The variables one sourced file gives (what it sources first), or undefined when it cannot be read. */
  private follow(
    file: SourcedFile,
    holder: string,
    depth: number,
    walk: { top: string; seen: Set<string>; files: string[] },
  ): SourcedVariables | undefined {
    if (depth > this.limits.depth || walk.files.length >= this.limits.files) return undefined;
    const read = this.read(this.candidates(file, holder, walk.top), walk.seen);
    if (!read) return undefined;
    walk.seen.add(read.path);
    walk.files.push(read.path);
    const sourcing = this.sourcingOf(read.path, read.text);
    if (!sourcing) return undefined;
    const nested = sourcing.files
      .map((f) => this.follow(f, read.path, depth + 1, walk))
      .filter((v): v is SourcedVariables => v !== undefined);
    return merged([...nested, sourcing.variables]);
  }

  /** Where a sourced path may be, in the order tried. */
  private candidates(file: SourcedFile, holder: string, top: string): string[] {
    const folders =
      file.from === 'script'
        ? [path.dirname(top)]
        : file.from === 'file'
          ? [path.dirname(holder)]
          : [path.dirname(holder), path.dirname(top), ...this.roots];
    return [...new Set(folders.map((folder) => path.resolve(folder, file.path)))];
  }

  /** The first candidate that is a readable file inside the roots and not yet followed. */
  private read(candidates: readonly string[], seen: ReadonlySet<string>): { path: string; text: string } | undefined {
    for (const candidate of candidates) {
      if (!this.inside(candidate, this.lexicalWithin) && !this.inside(candidate, this.within)) continue;
      const known = this.options.known?.(candidate);
      if (known !== undefined) {
        if (seen.has(candidate)) return undefined;
        return { path: candidate, text: known };
      }
      let real: string;
      try {
        real = fs.realpathSync(candidate);
      } catch {
        continue;
      }
      if (!this.inside(real, this.within)) return undefined;
      if (seen.has(candidate) || seen.has(real)) return undefined;
      const text = readSourceSync(real, this.limits.bytes);
      return 'text' in text ? { path: candidate, text: text.text } : undefined;
    }
    return undefined;
  }

  /** Whether `file` lies below one of `folders`: a folder above it, cut at a separator, is one of them. */
  private inside(file: string, folders: ReadonlySet<string>): boolean {
    for (let i = file.indexOf(path.sep); i >= 0; i = file.indexOf(path.sep, i + 1))
      if (folders.has(file.slice(0, i))) return true;
    return false;
  }

  private sourcingOf(filePath: string, text: string): Sourcing | undefined {
    const cached = this.parsed.get(filePath);
    if (cached && cached.text === text) return cached.sourcing;
    // A sourced file is shell whatever its name (`.env`, `config`): it is read as a script.
    const sourcing = this.engine.sourcing({ path: filePath, kind: 'shell', text });
    this.parsed.set(filePath, { text, sourcing });
    return sourcing;
  }
}

/**
 * `.` or `source` where a command starts (a line's start, after `;`, `&&`, `||`, `{`, `(`, `then`, `do`,
 * `else`; `find . -name`, comments and prose do not pass), and the start of its path.
 */
const SOURCE_WORD = /(?:^|[;&|{(]|\b(?:then|do|else)\b)[ \t]*(?:\.|source)[ \t]+["']?([^\s;&|)]+)/gm;
/** The script's folder: `$(dirname …`, `$(cd …`, `${BASH_SOURCE…`, `${0%…`. */
const FOLDER_START = /^\$(?:\(\s*(?:dirname|cd)\b|\{(?:BASH_SOURCE|0)\b)/;

/**
 * Whether a path a `source` line starts with may be one a host can look up (see `sourcedPath`): a
 * plain name, the script's folder, or a variable the text assigns; not `/etc/profile`, `~/.bashrc`,
 * `<(…)` or `$HOME/…`. Most scripts that source something source only such files.
 */
function mayBeLookedUp(start: string, text: string): boolean {
  if (/^[\w.]/.test(start) || FOLDER_START.test(start)) return true;
  const variable = /^\$\{?([A-Za-z_]\w*)/.exec(start)?.[1];
  return variable !== undefined && new RegExp(String.raw`(?:^|[\s;&|(])${variable}=`, 'm').test(text);
}

/** Several sourced files' variables, a later file's winning. */
function merged(all: readonly SourcedVariables[]): SourcedVariables {
  if (all.length === 1) return all[0]!;
  const commands = new Map<string, readonly string[]>();
  const paths = new Map<string, string>();
  const runners = new Set<string>();
  for (const v of all) {
    for (const [name, words] of v.commands) {
      commands.set(name, words);
      paths.delete(name);
    }
    for (const [name, p] of v.paths) paths.set(name, p);
    for (const name of v.runners) runners.add(name);
  }
  return { commands: [...commands], paths: [...paths], runners: [...runners] };
}
