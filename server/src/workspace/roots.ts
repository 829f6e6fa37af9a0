import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The folders a scan of `paths` is rooted in: each folder given, and the repository (the nearest
 * folder above with a `.git` entry) holding each path. Paths below a root are read relative to it
 * (CI folders, build contexts); nothing above a root is. `stat`: how a path is looked at (a scan
 * passes the answers it already has).
 */
export function scanRoots(paths: readonly string[], stat: (p: string) => fs.Stats = fs.statSync): string[] {
  const roots = new Set<string>();
  // Files given one by one mostly share folders: each folder is looked at once.
  const repositories = new Map<string, string | undefined>();
  for (const given of paths) {
    const absolute = path.resolve(given);
    let folder = absolute;
    try {
      if (stat(absolute).isDirectory()) roots.add(absolute);
      else folder = path.dirname(absolute);
    } catch {
      continue;
    }
    const repository = repositoryRoot(folder, repositories);
    if (repository) roots.add(repository);
  }
  return [...roots];
}

/**
 * The nearest folder at or above `folder` holding a `.git` folder or file, if any. `known`: answers
 * of earlier lookups by folder, read and extended (every folder passed on the way has the same answer).
 */
export function repositoryRoot(folder: string, known?: Map<string, string | undefined>): string | undefined {
  const passed: string[] = [];
  let found: string | undefined;
  for (let dir = folder; ;) {
    if (known?.has(dir)) {
      found = known.get(dir);
      break;
    }
    passed.push(dir);
    if (hasGitEntry(dir)) {
      found = dir;
      break;
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  if (known) for (const dir of passed) known.set(dir, found);
  return found;
}

function hasGitEntry(dir: string): boolean {
  // Most folders have none: asking without an exception keeps the walk cheap.
  try {
    return fs.lstatSync(path.join(dir, '.git'), { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}
