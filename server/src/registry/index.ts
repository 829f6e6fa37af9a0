export { RegistryClient, nextPage } from './client';
export type { RegistryClientOptions, ResolvedDigest, VersionMatch, ImageInspection, ImageConfig } from './client';
export { RegistryError } from './errors';
export type { RegistryErrorKind } from './errors';
export { normalizeReference, formatReference, referenceName } from './reference';
export type { NormalizedReference } from './reference';
export { parseWwwAuthenticate } from './auth';
export type { Challenge } from './auth';
export { MANIFEST_ACCEPT, MEDIA_TYPES } from './mediaTypes';
