import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CREATE_EXCLUSIVE } from '../net/privateDir';
import { errorCode } from '../errno';
import { readRegularFile } from './safeRead';

/** Why a file was left as it is. */
export type NotWritten = { written: false; why: 'changed' | 'read-only' | 'not-regular' | 'error'; reason: string };
export type ReplaceOutcome = { written: true } | NotWritten;

export interface ReplaceOptions {
  /**
   * The bytes the new content was computed from. When the file no longer holds exactly these (it
   * was edited meanwhile), it is left untouched: `changed`.
   */
  expected?: Buffer;
  /** Create the file when it does not exist (a report), instead of failing. */
  create?: boolean;
}

/**
 * Replaces a file's content without losing or corrupting it:
 *
 * - through links: the file a link names is the one written, and the link stays a link;
 * - never half-written: the new content goes to an exclusively created temporary sibling (synced)
 *   that is renamed over the file; mode and owner are copied onto it first (owner where permitted);
 * - in place instead when renaming would change the file's identity: a file with other hard links,
 *   or one owned by another user this user may not give it back to;
 * - a read-only file (no write permission for this user, or no write bit at all) is left untouched;
 * - a file that changed since `expected` was read is left untouched;
 * - anything that is not a regular file is not replaced (see {@link writeThrough} for reports).
 *
 * Never throws for file-system reasons: the outcome says what happened, and no temporary file is left.
 */
export async function replaceFile(
  filePath: string,
  content: string | Buffer,
  options: ReplaceOptions = {},
): Promise<ReplaceOutcome> {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  let real: string;
  let stat: fs.Stats | undefined;
  try {
    real = await fs.promises.realpath(filePath);
    stat = await fs.promises.stat(real);
  } catch (error) {
    if (!options.create || errorCode(error) !== 'ENOENT') return failed('error', `cannot read: ${errorCode(error)}`);
    real = path.resolve(filePath);
  }
  if (stat && !stat.isFile()) return failed('not-regular', 'not a regular file: left as it is');
  if (stat && (await isReadOnly(real, stat))) return failed('read-only', 'read-only: left as it is');
  if (options.expected && !(await stillHolds(real, options.expected)))
    return failed('changed', 'changed while pinning: left as it is');
  const uid = process.getuid?.();
  const foreignOwner = stat !== undefined && uid !== undefined && uid !== 0 && stat.uid !== uid;
  if (stat && (stat.nlink > 1 || foreignOwner)) return writeInPlace(real, bytes);
  return writeAndRename(real, bytes, stat, options.expected);
}

/**
 * A report to `--output`: a regular file (or a link to one) is replaced as {@link replaceFile}
 * does; a FIFO, a device or a terminal (`/dev/stdout`) is written to directly, since replacing it
 * would put a regular file where the link or device was.
 */
export async function writeThrough(filePath: string, content: string): Promise<ReplaceOutcome> {
  let stat: fs.Stats | undefined;
  try {
    stat = await fs.promises.stat(filePath);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') return failed('error', `cannot write: ${errorCode(error)}`);
  }
  if (stat?.isDirectory()) return failed('not-regular', 'is a folder');
  if (stat && !stat.isFile()) {
    try {
      await fs.promises.writeFile(filePath, content, { flag: 'a' });
      return { written: true };
    } catch (error) {
      return failed('error', `cannot write: ${errorCode(error)}`);
    }
  }
  return replaceFile(filePath, content, { create: true });
}

async function isReadOnly(real: string, stat: fs.Stats): Promise<boolean> {
  if ((stat.mode & 0o222) === 0) return true;
  try {
    await fs.promises.access(real, fs.constants.W_OK);
    return false;
  } catch {
    return true;
  }
}

async function stillHolds(real: string, expected: Buffer): Promise<boolean> {
  const now = await readRegularFile(real, { maxBytes: expected.length });
  return !('skipped' in now) && now.bytes.equals(expected);
}

async function writeAndRename(
  real: string,
  bytes: Buffer,
  stat: fs.Stats | undefined,
  expected: Buffer | undefined,
): Promise<ReplaceOutcome> {
  const tmp = path.join(path.dirname(real), `.${path.basename(real)}.driftguard-${randomBytes(6).toString('hex')}.tmp`);
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(tmp, CREATE_EXCLUSIVE, 0o600);
  } catch (error) {
    return failed('error', `cannot write in ${path.basename(path.dirname(real)) || '/'}: ${errorCode(error)}`);
  }
  try {
    try {
      await handle.writeFile(bytes);
      if (stat) {
        await handle.chmod(stat.mode & 0o7777);
        await keepOwner(handle, stat);
      } else {
        await handle.chmod(0o666 & ~process.umask());
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    // The last moment to notice an edit made while the new content was being written.
    if (expected && !(await stillHolds(real, expected))) {
      await fs.promises.rm(tmp, { force: true });
      return failed('changed', 'changed while pinning: left as it is');
    }
    await fs.promises.rename(tmp, real);
    return { written: true };
  } catch (error) {
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    return failed('error', `cannot write: ${errorCode(error)}`);
  }
}

/** Gives the new file the old one's owner and group; a group this user may not set stays its own. */
async function keepOwner(handle: fs.promises.FileHandle, stat: fs.Stats): Promise<void> {
  try {
    await handle.chown(stat.uid, stat.gid);
  } catch (error) {
    if (errorCode(error) !== 'EPERM') throw error;
  }
}

/** Rewrites the file itself (same inode: hard links, owner and mode stay), for files renaming would change. */
async function writeInPlace(real: string, bytes: Buffer): Promise<ReplaceOutcome> {
  try {
    const handle = await fs.promises.open(real, fs.constants.O_WRONLY | fs.constants.O_NOFOLLOW);
    try {
      await handle.write(bytes, 0, bytes.length, 0);
      await handle.truncate(bytes.length);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return { written: true };
  } catch (error) {
    return failed('error', `cannot write: ${errorCode(error)}`);
  }
}

function failed(why: NotWritten['why'], reason: string): NotWritten {
  return { written: false, why, reason };
}
