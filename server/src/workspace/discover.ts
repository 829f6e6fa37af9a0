import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { Ignore } from 'ignore';
import picomatch from 'picomatch';
import type { FileKind } from '../engine/types';
import { FILE_KINDS, KindRegistry } from '../kinds';
import { readText, readTextSync, realFolders, SUPPORT_FILE_MAX_BYTES } from './safeRead';
import { gitListing, GitListing, GitListOptions } from './gitFiles';
import { relativePosix } from './posixPath';

/** A file DriftGuard analyses, found by walking the workspace. */
export interface DiscoveredFile<K extends string = FileKind> {
  path: string;
  kind: K;
}

export interface DiscoverOptions<K extends string = FileKind> {
  /** Globs (relative to the walk root) excluded in addition to `.gitignore` (e.g. VS Code `files.exclude`). */
  exclude?: readonly string[];
  /** Called for every file before it is yielded; return true to leave it out (config `ignore`). */
  isIgnored?: (filePath: string) => boolean;
  /** Called with every other file the walk passes (e.g. to find image-build templates). */
  onOtherFile?: (filePath: string) => void;
  /** Stops the walk when it returns true (editor cancellation). */
  isCancelled?: () => boolean;
  /** How the walk reads the disk: asynchronous by default (editors); batch hosts pass `BLOCKING_DISK`. */
  disk?: DiscoveryDisk;
  /** The kinds to find (default: the built-in ones). */
  kinds?: KindRegistry<K>;
  /**
   * Told of every folder and `.gitignore` the walk could not read, with the reason (they are left out),
   * and of every scanned folder in a git work tree that git could not list (it is walked instead).
   */
  onSkipped?: (filePath: string, reason: string) => void;
  /**
   * How a folder inside a git work tree is listed: by git, as a CI checkout holds it (default), with
   * these options; `false`: walked like any folder.
   */
  git?: GitListOptions | false;
  /** Tests: the listing git gives a folder (default: {@link gitListing}). */
  listFolder?: (folder: string, options: GitListOptions) => Promise<GitListing>;
}

/**
 * The disk operations of a walk: plain functions (no `this`), so a wrapper may pass them on. Every
 * one may reject; the walk then skips that entry.
 */
export interface DiscoveryDisk {
  stat: (p: string) => Promise<fs.Stats>;
  readdir: (dir: string) => Promise<fs.Dirent[]>;
  /** A support file's text within limits (regular files only, capped, links only within `within`). */
  readText: (p: string, within: readonly string[]) => Promise<{ text: string } | { skipped: string }>;
  /** Up to `length` bytes from the start of a file. */
  readHead: (p: string, length: number) => Promise<Buffer>;
  /** The entry itself, a link not followed. */
  lstat: (p: string) => Promise<fs.Stats>;
}

const ASYNC_DISK: DiscoveryDisk = {
  stat: (p) => fs.promises.stat(p),
  lstat: (p) => fs.promises.lstat(p),
  readdir: (dir) => fs.promises.readdir(dir, { withFileTypes: true }),
  readText: (p, within) => readText(p, { maxBytes: SUPPORT_FILE_MAX_BYTES, within }),
  readHead: async (p, length) => {
    const handle = await fs.promises.open(p, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  },
};

/**
 * Blocking reads behind the same promises: a command-line scan has nothing else to do meanwhile,
 * and waiting for the thread pool on each of thousands of small reads left it idle a tenth of a second.
 */
export const BLOCKING_DISK: DiscoveryDisk = {
  stat: async (p) => fs.statSync(p),
  lstat: async (p) => fs.lstatSync(p),
  readdir: async (dir) => fs.readdirSync(dir, { withFileTypes: true }),
  readText: async (p, within) => readTextSync(p, { maxBytes: SUPPORT_FILE_MAX_BYTES, within }),
  readHead: async (p, length) => {
    const fd = fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    try {
      const buffer = Buffer.alloc(length);
      return buffer.subarray(0, fs.readSync(fd, buffer, 0, length, 0));
    } finally {
      fs.closeSync(fd);
    }
  },
};

const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn']);

/**
 * Finds the files of every kind DriftGuard analyses in folders. A folder inside a git work tree is
 * listed by git the way a CI checkout holds it: tracked files (also those `.gitignore` matches) and
 * untracked files no ignore rule matches; submodules and nested repositories git lists as folders
 * are walked. Other folders — and a git folder git cannot list, which is said through `onSkipped` —
 * are walked, honouring nested `.gitignore` files. `node_modules` and VCS folders are skipped either
 * way. A file given directly is yielded when its kind is known, whatever the ignore files say (the
 * user asked for it).
 */
export async function* discoverFiles<K extends string = FileKind>(
  roots: readonly string[],
  options: DiscoverOptions<K> = {},
): AsyncGenerator<DiscoveredFile<K>> {
  const disk = options.disk ?? ASYNC_DISK;
  const kinds = options.kinds ?? (FILE_KINDS as unknown as KindRegistry<K>);
  // Needed only to walk a folder: a scan of a file list resolves no links for it.
  let within: string[] | undefined;
  for (const root of roots) {
    const absolute = path.resolve(root);
    let stat: fs.Stats;
    try {
      stat = await disk.stat(absolute);
    } catch {
      continue;
    }
    if (stat.isFile()) {
      const kind = await kindOf(absolute, disk, kinds);
      if (kind) yield { path: absolute, kind };
      continue;
    }
    const excluded =
      options.exclude && options.exclude.length > 0 ? picomatch(options.exclude as string[], { dot: true }) : undefined;
    const run: Walk<K> = { root: absolute, within: (within ??= realFolders(roots)), excluded, options, kinds };
    const listing =
      options.git === false
        ? { kind: 'none' as const }
        : await (options.listFolder ?? gitListing)(absolute, options.git ?? {});
    // An empty listing (a folder git ignores, named on purpose) is walked: the user asked for it.
    if (listing.kind === 'listed' && listing.paths.length > 0) {
      yield* listed(run, listing.paths);
      continue;
    }
    if (listing.kind === 'failed')
      options.onSkipped?.(
        absolute,
        `not listed by git (${listing.reason}): walked instead, honouring .gitignore files`,
      );
    yield* walk(run, absolute, []);
  }
}

/**
 * The files of a git listing (paths relative to the root) in the walk's terms: excluded globs,
 * `isIgnored`, `node_modules` and VCS folders left out; regular files only, none reached through a
 * linked folder (a hostile checkout may link a listed folder elsewhere); listed folders walked.
 */
async function* listed<K extends string>(run: Walk<K>, paths: readonly string[]): AsyncGenerator<DiscoveredFile<K>> {
  const { root, excluded, options, kinds } = run;
  const disk = options.disk ?? ASYNC_DISK;
  const plainFolders = new PlainFolders(root);
  for (const entry of [...paths].sort()) {
    if (options.isCancelled?.()) return;
    const parts = entry.replace(/\/+$/, '').split('/');
    if (parts.some((p) => p === '' || p === '.' || p === '..' || ALWAYS_SKIPPED.has(p))) continue;
    if (excluded && parts.some((_, i) => matchesFolderOrFile(excluded, parts.slice(0, i + 1).join('/')))) continue;
    const full = path.join(root, ...parts);
    if (!plainFolders.holds(path.dirname(full))) continue;
    let stat: fs.Stats;
    try {
      stat = await disk.lstat(full);
    } catch {
      continue; // tracked, but deleted from the work tree
    }
    if (stat.isDirectory()) yield* walk(run, full, []);
    else if (stat.isFile()) {
      if (options.isIgnored?.(full)) continue;
      const kind = await kindOf(full, disk, kinds);
      if (kind) yield { path: full, kind };
      else options.onOtherFile?.(full);
    } else if (!stat.isSymbolicLink() && kinds.detect(full) && !options.isIgnored?.(full)) {
      options.onSkipped?.(full, `not a regular file (${specialKind(stat)})`);
    }
  }
}

function matchesFolderOrFile(excluded: (p: string) => boolean, relative: string): boolean {
  return excluded(relative) || excluded(relative + '/');
}

/** Which folders below a root are reached without a link: each one's real path is its path under the root's. */
class PlainFolders {
  private readonly known = new Map<string, boolean>();
  private readonly realRoot: string | undefined;

  constructor(private readonly root: string) {
    try {
      this.realRoot = fs.realpathSync(root);
    } catch {
      this.realRoot = undefined;
    }
  }

  holds(folder: string): boolean {
    let plain = this.known.get(folder);
    if (plain === undefined) {
      try {
        plain =
          this.realRoot !== undefined &&
          fs.realpathSync(folder) === path.join(this.realRoot, path.relative(this.root, folder));
      } catch {
        plain = false;
      }
      this.known.set(folder, plain);
    }
    return plain;
  }
}

/** What stays the same over one root's walk. */
interface Walk<K extends string> {
  root: string;
  /** The roots with links resolved: a `.gitignore` link is followed only to a file inside them. */
  within: readonly string[];
  excluded: ((p: string) => boolean) | undefined;
  options: DiscoverOptions<K>;
  kinds: KindRegistry<K>;
}

async function* walk<K extends string>(
  run: Walk<K>,
  dir: string,
  ignores: Array<{ base: string; rules: Ignore }>,
): AsyncGenerator<DiscoveredFile<K>> {
  const { root, excluded, options, kinds } = run;
  if (options.isCancelled?.()) return;
  let entries: fs.Dirent[];
  const disk = options.disk ?? ASYNC_DISK;
  try {
    entries = await disk.readdir(dir);
  } catch (error) {
    options.onSkipped?.(dir, `folder not read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    return;
  }
  let scoped = ignores;
  const gitignore = entries.find((e) => e.name === '.gitignore' && !e.isDirectory());
  if (gitignore) {
    const file = path.join(dir, '.gitignore');
    const read = await disk.readText(file, run.within).catch((error: unknown) => ({ skipped: String(error) }));
    // An unread .gitignore leaves its files in the scan: more findings, never fewer.
    if ('skipped' in read) options.onSkipped?.(file, `not read: ${read.skipped}`);
    else scoped = [...ignores, { base: dir, rules: ignore().add(read.text) }];
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (options.isCancelled?.()) return;
    const full = path.join(dir, entry.name);
    const isDir = entry.isDirectory();
    if (isDir && ALWAYS_SKIPPED.has(entry.name)) continue;
    const relToRoot = relativePosix(root, full);
    if (excluded && matchesFolderOrFile(excluded, relToRoot)) continue;
    if (scoped.some((g) => g.rules.ignores(relativePosix(g.base, full) + (isDir ? '/' : '')))) continue;
    if (isDir) {
      yield* walk(run, full, scoped);
    } else if (entry.isFile()) {
      if (options.isIgnored?.(full)) continue;
      const kind = await kindOf(full, disk, kinds);
      if (kind) yield { path: full, kind };
      else options.onOtherFile?.(full);
    } else if (!entry.isSymbolicLink() && kinds.detect(full) && !options.isIgnored?.(full)) {
      // A FIFO, socket or device named like a file DriftGuard analyses: never opened, but said.
      options.onSkipped?.(full, `not a regular file (${specialKind(entry)})`);
    }
  }
}

function specialKind(entry: fs.Dirent | fs.Stats): string {
  if (entry.isFIFO()) return 'a FIFO';
  if (entry.isSocket()) return 'a socket';
  return entry.isCharacterDevice() ? 'a character device' : 'a block device';
}

async function kindOf<K extends string>(
  filePath: string,
  disk: DiscoveryDisk,
  kinds: KindRegistry<K>,
): Promise<K | undefined> {
  const byPath = kinds.detect(filePath);
  if (byPath) return byPath;
  if (!kinds.needsFirstLine(filePath)) return undefined;
  return kinds.detect(filePath, await readFirstLine(filePath, disk));
}

async function readFirstLine(filePath: string, disk: DiscoveryDisk): Promise<string | undefined> {
  try {
    return (await disk.readHead(filePath, 128)).toString('utf8').split('\n')[0];
  } catch {
    return undefined;
  }
}
