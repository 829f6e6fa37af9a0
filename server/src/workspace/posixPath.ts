import * as path from 'node:path';

/**
 * A file-system path with `/` separators: reports, globs and ignore files write paths that way on
 * every platform.
 */
export function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}

/** `to` relative to `from`, with `/` separators. */
export function relativePosix(from: string, to: string): string {
  return toPosix(path.relative(from, to));
}
