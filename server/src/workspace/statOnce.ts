import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * `fs.statSync` that looks at each of `paths` (the paths a scan was given) once: the scanned
 * folders, the walk and the scan's roots each ask whether a given path is a folder, and a file list
 * gives thousands (the corpus's Dockerfiles: 1,926 paths, 3 stat calls each before). Same answers
 * as `fs.statSync`: a failure is not kept (the next ask tries again and throws its own error), and
 * other paths are asked each time.
 */
export function statOnce(paths: readonly string[]): (p: string) => fs.Stats {
  const given = new Set(paths.map((p) => path.resolve(p)));
  const known = new Map<string, fs.Stats>();
  return (p) => {
    const absolute = path.resolve(p);
    if (!given.has(absolute)) return fs.statSync(p);
    let stats = known.get(absolute);
    if (!stats) known.set(absolute, (stats = fs.statSync(p)));
    return stats;
  };
}
