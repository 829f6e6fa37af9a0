/** Accept header npm itself sends: the abbreviated ("corgi") packument, much smaller than the full one. */
export const PACKUMENT_ACCEPT = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';

/** Path of a package's packument on a registry: a scope's slash is escaped as npm does. */
export function packumentPath(name: string): string {
  return name.startsWith('@') ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name);
}

/** The package name of an install argument (`@scope/name`, `name`), without a version or tag. */
export function npmPackageName(spec: string): string | undefined {
  const m = /^(@[a-z0-9][\w.-]*\/[\w.-]+|[a-z0-9][\w.-]*)$/i.exec(spec);
  return m ? m[1] : undefined;
}

/** `dist-tags.latest` of a packument (full or abbreviated), checked to be one of its versions. */
export function latestOfPackument(body: string): string {
  const json = JSON.parse(body) as { 'dist-tags'?: Record<string, unknown>; versions?: Record<string, unknown> };
  const latest = json?.['dist-tags']?.latest;
  if (typeof latest !== 'string' || !/^\d+\.\d+\.\d+(?:[-+][\w.+-]*)?$/.test(latest))
    throw new Error('packument without a dist-tags.latest version');
  if (json.versions && typeof json.versions === 'object' && !(latest in json.versions))
    throw new Error(`dist-tags.latest ${latest} is not among the packument's versions`);
  return latest;
}
