/**
 * System locations whose files define how a machine behaves. Relative paths, temp and runtime
 * directories (`/tmp`, `/dev`, `/proc`, `/run`, `/var/log`, `/var/tmp`), home directories and
 * application data under `/var/www` are not in the list: writing there is not configuration drift.
 */
const SYSTEM = /^\/(?:etc|usr|opt|var\/lib|lib|lib32|lib64|libx32|boot|srv|bin|sbin)(?:\/|$)/;

/** True when a path's literal beginning is a system location (`/etc/$NAME.conf` counts). */
export function isSystemPath(value: string): boolean {
  return SYSTEM.test(value);
}

/** `[user@]host:/path` → `/path` (scp/rsync remote destinations); undefined for local paths. */
export function remotePath(value: string): string | undefined {
  const match = /^(?:[\w.-]+@)?[\w.-]+:(\/.*)$/.exec(value);
  return match ? match[1] : undefined;
}
