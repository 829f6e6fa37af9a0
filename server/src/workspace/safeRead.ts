import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorCode } from '../errno';

/** Largest `.env`, `.gitignore` or image-build template read; larger ones are skipped with the reason. */
export const SUPPORT_FILE_MAX_BYTES = 1024 * 1024;
/** Largest `.driftguard.yaml` read. */
export const CONFIG_MAX_BYTES = 256 * 1024;

/** Bytes of a file, or why it was not read. */
export type BytesRead = { bytes: Buffer } | { skipped: string };

/**
 * How a file from a repository may be read. Any file may be a link (to `/dev/zero`, to a secret
 * outside the tree), a FIFO, a device, or huge.
 */
export interface ReadLimits {
  /** Files larger than this are not read (checked before reading, and again while reading). */
  maxBytes: number;
  /**
   * When set, a symbolic link is followed only when its target lies inside one of these folders
   * (absolute, links resolved) or inside the link's own folder. Undefined: links are followed (the
   * user named the file).
   */
  within?: readonly string[];
}

/** Open flags: never wait on a FIFO or a device; `fstat` decides before a byte is read. */
const OPEN_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK;

/**
 * Reads a regular file within limits, without blocking on FIFOs and without loading what is too
 * large: `open` never waits (O_NONBLOCK), `fstat` on the opened file decides (regular files only,
 * size cap), and the read stops past the cap should the file grow meanwhile.
 */
export function readRegularFileSync(filePath: string, limits: ReadLimits): BytesRead {
  const outside = leavesFolders(filePath, limits.within);
  if (outside) return { skipped: outside };
  let fd: number;
  try {
    fd = fs.openSync(filePath, OPEN_FLAGS);
  } catch (error) {
    return cannotRead(error);
  }
  try {
    const stat = fs.fstatSync(fd);
    const refused = refuse(stat, limits.maxBytes);
    if (refused) return { skipped: refused };
    const buffer = Buffer.allocUnsafe(Math.min(stat.size, limits.maxBytes) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) return { skipped: tooLarge(limits.maxBytes) };
      const n = fs.readSync(fd, buffer, length, buffer.length - length, length);
      if (n === 0) break;
      length += n;
    }
    return { bytes: buffer.subarray(0, length) };
  } catch (error) {
    return cannotRead(error);
  } finally {
    fs.closeSync(fd);
  }
}

/** {@link readRegularFileSync} on the thread pool, for hosts that must keep answering (editors). */
export async function readRegularFile(filePath: string, limits: ReadLimits): Promise<BytesRead> {
  const outside = await leavesFoldersAsync(filePath, limits.within);
  if (outside) return { skipped: outside };
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(filePath, OPEN_FLAGS);
  } catch (error) {
    return cannotRead(error);
  }
  try {
    const stat = await handle.stat();
    const refused = refuse(stat, limits.maxBytes);
    if (refused) return { skipped: refused };
    const buffer = Buffer.allocUnsafe(Math.min(stat.size, limits.maxBytes) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) return { skipped: tooLarge(limits.maxBytes) };
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return { bytes: buffer.subarray(0, length) };
  } catch (error) {
    return cannotRead(error);
  } finally {
    await handle.close();
  }
}

/** UTF-8 text of a small support file (config, `.env`, `.gitignore`, template), or why not. */
export function readTextSync(filePath: string, limits: ReadLimits): { text: string } | { skipped: string } {
  const read = readRegularFileSync(filePath, limits);
  return 'skipped' in read ? read : { text: read.bytes.toString('utf8') };
}

export async function readText(filePath: string, limits: ReadLimits): Promise<{ text: string } | { skipped: string }> {
  const read = await readRegularFile(filePath, limits);
  return 'skipped' in read ? read : { text: read.bytes.toString('utf8') };
}

function refuse(stat: fs.Stats, maxBytes: number): string | undefined {
  if (!stat.isFile()) return `not a regular file (${fileType(stat)})`;
  if (stat.size > maxBytes) return tooLarge(maxBytes, stat.size);
  return undefined;
}

function fileType(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  if (stat.isDirectory()) return 'a folder';
  return 'a special file';
}

/** Why a link at `filePath` may not be followed, or undefined when it may (or is no link). */
function leavesFolders(filePath: string, within: readonly string[] | undefined): string | undefined {
  if (!within) return undefined;
  try {
    if (!fs.lstatSync(filePath).isSymbolicLink()) return undefined;
    return outsideOf(fs.realpathSync(filePath), [...within, fs.realpathSync(path.dirname(filePath))]);
  } catch (error) {
    return `cannot read: ${errorCode(error)}`;
  }
}

async function leavesFoldersAsync(
  filePath: string,
  within: readonly string[] | undefined,
): Promise<string | undefined> {
  if (!within) return undefined;
  try {
    if (!(await fs.promises.lstat(filePath)).isSymbolicLink()) return undefined;
    const own = await fs.promises.realpath(path.dirname(filePath));
    return outsideOf(await fs.promises.realpath(filePath), [...within, own]);
  } catch (error) {
    return `cannot read: ${errorCode(error)}`;
  }
}

function outsideOf(target: string, within: readonly string[]): string | undefined {
  const inside = within.some((folder) => target === folder || target.startsWith(folder + path.sep));
  return inside ? undefined : 'a symbolic link to a file outside the scanned folders: not followed';
}

/**
 * Absolute folders with their links resolved, for {@link ReadLimits.within}: each folder once, in
 * the order first given (a scan of a file list names the same folder once per file, and every read
 * checks each folder).
 */
export function realFolders(folders: readonly string[]): string[] {
  const real = new Set<string>();
  const known = new Map<string, string>();
  for (const absolute of new Set(folders.map((folder) => path.resolve(folder)))) {
    try {
      real.add(realFolder(absolute, known));
    } catch {
      real.add(absolute);
    }
  }
  return [...real];
}

/**
 * `fs.realpathSync(folder)`, the folders above it looked at once per `known`: a folder that is not a
 * link is its parent's real path and its own name. `fs.realpathSync` looks at every folder of each
 * path it is given again: the 1,825 folders of the corpus's Dockerfiles given as a file list took
 * about 12,000 `lstat` calls, against one per distinct folder here. Throws as `fs.realpathSync`
 * does when a folder on the way cannot be looked at.
 */
function realFolder(folder: string, known: Map<string, string>): string {
  let real = known.get(folder);
  if (real !== undefined) return real;
  const parent = path.dirname(folder);
  if (parent === folder) real = fs.realpathSync(folder);
  else {
    const realParent = realFolder(parent, known);
    real = fs.lstatSync(folder).isSymbolicLink()
      ? fs.realpathSync(folder)
      : path.join(realParent, path.basename(folder));
  }
  known.set(folder, real);
  return real;
}

function cannotRead(error: unknown): { skipped: string } {
  return { skipped: `cannot read: ${errorCode(error)}` };
}

export function tooLarge(maxBytes: number, size?: number): string {
  return `larger than the ${formatBytes(maxBytes)} limit${size === undefined ? '' : ` (${formatBytes(size)})`}`;
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024
    ? `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MB`
    : `${Math.round(n / 1024)} KB`;
}
