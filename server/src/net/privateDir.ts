import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { errorCode } from '../errno';

/**
 * The per-user folder DriftGuard keeps caches in when the host names none:
 * `$XDG_CACHE_HOME/driftguard` (an absolute XDG_CACHE_HOME only), else `~/.cache/driftguard`.
 * Undefined when there is no home folder. VS Code passes its own (the extension's global storage).
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'driftguard');
  const home = env.HOME || safeHomedir();
  return home && path.isAbsolute(home) ? path.join(home, '.cache', 'driftguard') : undefined;
}

function safeHomedir(): string | undefined {
  try {
    return os.homedir();
  } catch {
    return undefined;
  }
}

/** A usable private folder, or why not; `unsafe` when it exists but others could have tampered with it. */
export type PrivateDirCheck = { ok: true } | { ok: false; unsafe: boolean; reason: string };

function unsafe(reason: string): PrivateDirCheck {
  return { ok: false, unsafe: true, reason };
}

/**
 * Makes sure `dir` is a folder only this user can use: created 0700 when missing, made 0700 when
 * others may only read it, and refused (with the reason) when it is a link, is not a folder,
 * belongs to someone else, or others may write to it. Another local user who created it first
 * could otherwise plant entries or links in it.
 */
export function preparePrivateDir(dir: string): PrivateDirCheck {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    return {
      ok: false,
      unsafe: false,
      reason: `cannot create ${dir}: ${errorCode(error)}`,
    };
  }
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(dir);
  } catch (error) {
    return {
      ok: false,
      unsafe: false,
      reason: `cannot read ${dir}: ${errorCode(error)}`,
    };
  }
  if (stat.isSymbolicLink()) return unsafe(`${dir} is a symbolic link`);
  if (!stat.isDirectory()) return unsafe(`${dir} is not a folder`);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid)
    return unsafe(`${dir} belongs to user ${stat.uid}, not to this user (${uid})`);
  if ((stat.mode & 0o022) !== 0)
    return unsafe(`${dir} is open to other users (mode ${(stat.mode & 0o777).toString(8)})`);
  // Readable by others but ours and writable only by us (a folder some host created with the
  // default umask): nothing in it can have been planted, so close it rather than refuse it.
  if ((stat.mode & 0o077) !== 0) {
    try {
      fs.chmodSync(dir, 0o700);
    } catch (error) {
      return { ok: false, unsafe: false, reason: `cannot make ${dir} private: ${errorCode(error)}` };
    }
  }
  return { ok: true };
}

/** Open flags for reading a file that must not be a link or a FIFO. */
export const READ_NO_FOLLOW = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK;
/** Open flags for a new file: fails if anything (a link included) is already at that name. */
export const CREATE_EXCLUSIVE =
  fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW;
