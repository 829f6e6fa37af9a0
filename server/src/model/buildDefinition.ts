import * as path from 'node:path';

/**
 * A build another file defines for a Dockerfile: a Compose service's `build:`, a bake target, a
 * `docker build -f … <context>` command line. Paths are `/`-separated as written, relative to the
 * place the defining file resolves them against (`base`), or absolute.
 */
export interface BuildDefinition {
  /** `file`: the defining file's folder (Compose, bake); `cwd`: the working directory of a command line. */
  base: 'file' | 'cwd';
  /** The build context (a local folder). */
  context: string;
  /** The Dockerfile, against the same base as `context` (formats that write it relative to the context are joined). */
  dockerfile: string;
  /**
   * Named build contexts (`additional_contexts`, bake `contexts`, `--build-context`), name → value:
   * a local folder against the same base, or an image, target, service or URL (see {@link isLocalContext}).
   */
  namedContexts: Array<[string, string]>;
}

/** Whether a context value is a local folder: not `docker-image://…`, `target:…`, `service:…`, a URL or git remote. */
export function isLocalContext(value: string): boolean {
  return value !== '' && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value) && !value.startsWith('git@');
}

/** A Dockerfile path the format writes relative to the context, against the context's own base. */
export function dockerfileBesideContext(context: string, dockerfile: string | undefined): string {
  const name = dockerfile ?? 'Dockerfile';
  return path.posix.isAbsolute(name) ? name : path.posix.join(context, name);
}

/** `name=value` (a list entry, a `--build-context` flag): the pair, or undefined without a name. */
export function namedContextPair(entry: string): [string, string] | undefined {
  const equals = entry.indexOf('=');
  return equals > 0 ? [entry.slice(0, equals).trim(), entry.slice(equals + 1).trim()] : undefined;
}
