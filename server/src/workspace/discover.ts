import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { Ignore } from 'ignore';
import picomatch from 'picomatch';
import type { FileKind } from '../engine/types';
import { detectFileKind } from '../model/fileKind';

/** A file DriftGuard analyses, found by walking the workspace. */
export interface DiscoveredFile {
  path: string;
  kind: FileKind;
}

export interface DiscoverOptions {
  /** Globs (relative to the walk root) excluded in addition to `.gitignore` (e.g. VS Code `files.exclude`). */
  exclude?: readonly string[];
  /** Called for every file before it is yielded; return true to leave it out (config `ignore`). */
  isIgnored?: (filePath: string) => boolean;
  /** Called with every other file the walk passes (e.g. to find image-build templates). */
  onOtherFile?: (filePath: string) => void;
  /** Stops the walk when it returns true (editor cancellation). */
  isCancelled?: () => boolean;
}

const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn']);

/**
 * Walks folders for Dockerfiles, Compose files and shell scripts, honouring nested `.gitignore`
 * files and skipping `node_modules` and VCS folders. A file given directly is yielded when its kind
 * is known, whatever the ignore files say (the user asked for it).
 */
export async function* discoverFiles(roots: readonly string[], options: DiscoverOptions = {}): AsyncGenerator<DiscoveredFile> {
  for (const root of roots) {
    const absolute = path.resolve(root);
    let stat: fs.Stats;
    try { stat = await fs.promises.stat(absolute); } catch { continue; }
    if (stat.isFile()) {
      const kind = await kindOf(absolute);
      if (kind) yield { path: absolute, kind };
      continue;
    }
    const excluded = options.exclude && options.exclude.length > 0 ? picomatch(options.exclude as string[], { dot: true }) : undefined;
    yield* walk(absolute, absolute, [], excluded, options);
  }
}

async function* walk(root: string, dir: string, ignores: Array<{ base: string; rules: Ignore }>, excluded: ((p: string) => boolean) | undefined, options: DiscoverOptions): AsyncGenerator<DiscoveredFile> {
  if (options.isCancelled?.()) return;
  let entries: fs.Dirent[];
  try { entries = await fs.promises.readdir(dir, { withFileTypes: true }); } catch { return; }
  let scoped = ignores;
  const gitignore = entries.find((e) => e.name === '.gitignore' && e.isFile());
  if (gitignore) {
    try {
      scoped = [...ignores, { base: dir, rules: ignore().add(await fs.promises.readFile(path.join(dir, '.gitignore'), 'utf8')) }];
    } catch { /* unreadable .gitignore: walk on without it */ }
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (options.isCancelled?.()) return;
    const full = path.join(dir, entry.name);
    const isDir = entry.isDirectory();
    if (isDir && ALWAYS_SKIPPED.has(entry.name)) continue;
    const relToRoot = path.relative(root, full).split(path.sep).join('/');
    if (excluded && (excluded(relToRoot) || excluded(relToRoot + '/'))) continue;
    if (scoped.some((g) => g.rules.ignores(path.relative(g.base, full).split(path.sep).join('/') + (isDir ? '/' : '')))) continue;
    if (isDir) {
      yield* walk(root, full, scoped, excluded, options);
    } else if (entry.isFile()) {
      if (options.isIgnored?.(full)) continue;
      const kind = await kindOf(full);
      if (kind) yield { path: full, kind };
      else options.onOtherFile?.(full);
    }
  }
}

async function kindOf(filePath: string): Promise<FileKind | undefined> {
  const byName = detectFileKind(filePath);
  if (byName) return byName;
  if (path.basename(filePath).includes('.')) return undefined;
  return detectFileKind(filePath, await readFirstLine(filePath));
}

async function readFirstLine(filePath: string): Promise<string | undefined> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(filePath, 'r');
    const buffer = Buffer.alloc(128);
    const { bytesRead } = await handle.read(buffer, 0, 128, 0);
    return buffer.subarray(0, bytesRead).toString('utf8').split('\n')[0];
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}
