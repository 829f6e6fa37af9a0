import { parseImageReference } from '../model/imageRef';
import { RegistryError } from './errors';

/** An image reference normalised the way Docker does it. */
export interface NormalizedReference {
  /** Registry as users write it: `docker.io`, `ghcr.io`, `localhost:5000`. Also the credential key. */
  registry: string;
  /** Host (with port) the HTTP API lives on: `registry-1.docker.io` for Docker Hub. */
  apiHost: string;
  /** Repository path on the registry: `library/nginx`. */
  repository: string;
  tag?: string;
  /** `sha256:…` when the reference is pinned. */
  digest?: string;
}

export const DOCKER_HUB = 'docker.io';
export const DOCKER_HUB_API = 'registry-1.docker.io';

/**
 * Normalises `nginx`, `user/app:1`, `ghcr.io/o/a@sha256:…`, `localhost:5000/app`.
 * Throws a `malformed` {@link RegistryError} for text that is not an image reference.
 */
export function normalizeReference(text: string): NormalizedReference {
  const parsed = parseImageReference(text.trim());
  if (!parsed) throw new RegistryError('malformed', `not an image reference: "${text}"`);
  let registry = parsed.registry ?? DOCKER_HUB;
  if (registry === 'index.docker.io' || registry === DOCKER_HUB_API) registry = DOCKER_HUB;
  let repository = parsed.repository;
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  const out: NormalizedReference = {
    registry,
    apiHost: registry === DOCKER_HUB ? DOCKER_HUB_API : registry,
    repository,
  };
  if (parsed.tag !== undefined) out.tag = parsed.tag;
  if (parsed.digest !== undefined) out.digest = parsed.digest;
  return out;
}

/** `docker.io/library/nginx` — registry and repository, no tag or digest. */
export function referenceName(ref: NormalizedReference): string {
  return `${ref.registry}/${ref.repository}`;
}

/** Canonical text: `docker.io/library/nginx:1.25@sha256:…`. */
export function formatReference(ref: NormalizedReference): string {
  return referenceName(ref) + (ref.tag ? `:${ref.tag}` : '') + (ref.digest ? `@${ref.digest}` : '');
}
