import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The folders a scan of `paths` is rooted in: each folder given, and the repository (the nearest
 * folder above with a `.git` entry) holding each path. Paths below a root are read relative to it
 * (CI folders, build contexts); nothing above a root is.
 */
export function scanRoots(paths: readonly string[]): string[] {
  const roots = new Set<string>();
  // A file list names the same folder once per file: its repository is looked up once.
  const looked = new Set<string>();
  for (const given of paths) {
    const absolute = path.resolve(given);
    let folder = absolute;
    try {
      if (fs.statSync(absolute).isDirectory()) roots.add(absolute);
      else folder = path.dirname(absolute);
    } catch {
      continue;
    }
    if (looked.has(folder)) continue;
    looked.add(folder);
    const repository = repositoryRoot(folder);
    if (repository) roots.add(repository);
  }
  return [...roots];
}

/** The nearest folder at or above `folder` holding a `.git` folder or file, if any. */
export function repositoryRoot(folder: string): string | undefined {
  for (let dir = folder; ;) {
    try {
      fs.lstatSync(path.join(dir, '.git'));
      return dir;
    } catch {
      /* not here: look higher */
    }
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}
