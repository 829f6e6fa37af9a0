import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Script } from 'node:vm';

/**
 * Runs a bundle (dist/cli.bundle.js, dist/server.bundle.js) from V8's code cache: the code V8
 * compiled for it in an earlier run, kept in a file beside it. Node 20 has no compile cache of its
 * own (module.enableCompileCache is Node 22). Measured on the language server, spawn to initialize
 * answered: main-thread CPU 197 → 153 ms (medians of 20 A/B/B/A pairs); every CLI run and each of
 * its scan workers saves the same compile work.
 *
 * The bundle runs as the launcher's own module (`host`): same `exports`, `require`, `module`,
 * `__filename` and `__dirname`, so `require.main === module`, the scan workers it starts from
 * `__filename` and the grammars beside it are exactly those of the launcher. Stack traces name the
 * bundle.
 *
 * The cache is an optimisation only, and must never run other code than the bundle's:
 * - it is used only when its header holds the SHA-256 of the bundle's bytes (a stale cache, from
 *   another build, is never used) and of its own payload (a torn or damaged file is never used);
 * - it is used only when it is a regular file (never through a link, never a FIFO) owned by the
 *   bundle's owner and not writable by group or others: a cache anyone else could write is ignored,
 *   since V8 runs what it holds;
 * - V8 itself refuses a cache of another V8 version or other V8 flags (`cachedDataRejected`);
 * - any failure (no file, unreadable, rejected, read-only folder) falls back to compiling the source,
 *   silently; a missing or refused cache is written again (to a temporary file, then renamed, so a
 *   reader never sees half of it) once the bundle has run for `CACHE_DELAY_MS`, or at exit if sooner.
 * Returns whether the bundle ran from the cache.
 */
export function runBundle(host: HostModule, bundleFile: string): boolean {
  const bytes = fs.readFileSync(bundleFile);
  const digest = sha256(bytes);
  const cacheFile = `${bundleFile}.v8cache`;
  const cachedData = readCache(cacheFile, bundleFile, digest);
  const script = new Script(wrap(bytes.toString('utf8')), { filename: bundleFile, cachedData });
  const fromCache = cachedData !== undefined && script.cachedDataRejected !== true;
  if (!fromCache) writeCacheLater(script, cacheFile, digest);
  const run = script.runInThisContext() as ModuleFunction;
  run.call(
    host.module.exports,
    host.module.exports,
    host.require,
    host.module,
    host.filename,
    path.dirname(host.filename),
  );
  return fromCache;
}

/** The launcher's module, as its own scope sees it. */
export interface HostModule {
  module: NodeJS.Module;
  require: NodeJS.Require;
  filename: string;
}

type ModuleFunction = (
  exports: unknown,
  require: NodeJS.Require,
  module: NodeJS.Module,
  filename: string,
  dirname: string,
) => void;

/** How long the bundle runs before its cache is written: start-up's code is compiled by then. */
export const CACHE_DELAY_MS = 1500;

const DIGEST_BYTES = 32;
const HEADER_BYTES = 2 * DIGEST_BYTES;

/**
 * CommonJS's own wrapper, on the bundle's first line, so line numbers stay those of the file. A
 * shebang line becomes a comment of the same length.
 */
function wrap(source: string): string {
  const body = source.startsWith('#!') ? `//${source.slice(2)}` : source;
  return `(function (exports, require, module, __filename, __dirname) { ${body}\n});`;
}

function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}

/** The cache's V8 data, when it may be used for these bundle bytes (see `runBundle`). */
export function readCache(cacheFile: string, bundleFile: string, digest: Buffer): Buffer | undefined {
  let fd: number | undefined;
  try {
    // Not through a link; and a FIFO put there must not hold the start waiting for a writer (it is then
    // refused as not a regular file).
    fd = fs.openSync(cacheFile, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
    const stat = fs.fstatSync(fd);
    if (!stat.isFile() || (stat.mode & 0o022) !== 0 || stat.uid !== fs.statSync(bundleFile).uid) return undefined;
    const file = fs.readFileSync(fd);
    if (file.length <= HEADER_BYTES || !file.subarray(0, DIGEST_BYTES).equals(digest)) return undefined;
    const data = file.subarray(HEADER_BYTES);
    return sha256(data).equals(file.subarray(DIGEST_BYTES, HEADER_BYTES)) ? data : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** The cache file's bytes: the bundle's digest, the payload's digest, V8's data. */
export function cacheBytes(digest: Buffer, data: Buffer): Buffer {
  return Buffer.concat([digest, sha256(data), data]);
}

function writeCacheLater(script: Script, cacheFile: string, digest: Buffer): void {
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    process.off('exit', write);
    const temporary = `${cacheFile}.${process.pid}.${threadId()}.tmp`;
    try {
      fs.writeFileSync(temporary, cacheBytes(digest, script.createCachedData()), { mode: 0o644, flag: 'wx' });
      fs.renameSync(temporary, cacheFile);
    } catch {
      fs.rmSync(temporary, { force: true });
    }
  };
  setTimeout(write, CACHE_DELAY_MS).unref();
  process.on('exit', write);
}

/** The thread's id, for a temporary file of its own (scan workers launch the bundle too). */
function threadId(): number {
  // Loaded only on the way to writing the cache: worker_threads is not needed at every start.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('node:worker_threads') as typeof import('node:worker_threads')).threadId;
}
