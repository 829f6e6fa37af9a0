import { createHash } from 'node:crypto';
import { RegistryError } from './errors';
import { isIndexMediaType } from './mediaTypes';

/** One platform entry of an index / manifest list. */
export interface PlatformChild {
  digest: string;
  mediaType: string;
  /** `os/architecture[/variant]`, e.g. `linux/arm64/v8`. */
  platform: string;
}

/** What the client keeps of a manifest (cached forever under its digest). */
export interface ManifestSummary {
  mediaType: string;
  /** True for an OCI index or Docker manifest list. */
  index: boolean;
  /** Platform manifests of an index, attestations excluded. */
  children: PlatformChild[];
  /** Config blob digest of a single-platform manifest. */
  configDigest?: string;
}

export function sha256Digest(body: Buffer): string {
  return 'sha256:' + createHash('sha256').update(body).digest('hex');
}

/**
 * The digests DriftGuard accepts from a registry and writes into files: `sha256:` + 64 and
 * `sha512:` + 128 lower-case hex digits, nothing else (no other algorithm, no path characters).
 */
export function isDigest(value: unknown): value is string {
  return typeof value === 'string' && /^(?:sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/.test(value);
}

/** True when `body` hashes to `digest` (one of the accepted algorithms). */
export function contentMatchesDigest(body: Buffer, digest: string): boolean {
  if (!isDigest(digest)) return false;
  const [algorithm, hex] = digest.split(':') as [string, string];
  return createHash(algorithm).update(body).digest('hex') === hex;
}

interface RawPlatform {
  os?: unknown;
  architecture?: unknown;
  variant?: unknown;
}

function platformText(p: RawPlatform | undefined): string | undefined {
  if (!p || typeof p.os !== 'string' || typeof p.architecture !== 'string') return undefined;
  return [p.os, p.architecture, ...(typeof p.variant === 'string' && p.variant ? [p.variant] : [])].join('/');
}

/** Parses an image manifest or index; `where` names it in error messages. */
export function parseManifest(body: Buffer, contentType: string | undefined, where: string): ManifestSummary {
  let json: {
    mediaType?: unknown;
    schemaVersion?: unknown;
    manifests?: Array<{
      digest?: unknown;
      mediaType?: unknown;
      platform?: RawPlatform;
      annotations?: Record<string, unknown>;
    }>;
    config?: { digest?: unknown };
  };
  try {
    json = JSON.parse(body.toString('utf8')) as typeof json;
  } catch {
    throw new RegistryError('malformed', `malformed manifest from ${where}: not JSON`);
  }
  if (!json || typeof json !== 'object') throw new RegistryError('malformed', `malformed manifest from ${where}`);
  const mediaType =
    typeof json.mediaType === 'string' ? json.mediaType : ((contentType ?? '').split(';')[0]?.trim() ?? '');
  if (json.schemaVersion === 1)
    throw new RegistryError('malformed', `${where} returned a schema1 manifest, which is not supported`);
  if (Array.isArray(json.manifests) || isIndexMediaType(mediaType)) {
    if (!Array.isArray(json.manifests))
      throw new RegistryError('malformed', `malformed index from ${where}: no manifests`);
    const children: PlatformChild[] = [];
    for (const m of json.manifests) {
      if (!m || !isDigest(m.digest))
        throw new RegistryError('malformed', `malformed index from ${where}: entry without a valid digest`);
      if (m.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') continue;
      const platform = platformText(m.platform);
      if (!platform || platform === 'unknown/unknown') continue;
      children.push({ digest: m.digest, mediaType: typeof m.mediaType === 'string' ? m.mediaType : '', platform });
    }
    return { mediaType, index: true, children };
  }
  if (!json.config || !isDigest(json.config.digest))
    throw new RegistryError('malformed', `malformed manifest from ${where}: no config with a valid digest`);
  return { mediaType, index: false, children: [], configDigest: json.config.digest };
}

/**
 * Picks the child for `wanted` (`os/arch[/variant]`): exact variant when given (`arm64` without
 * variant counts as `v8`), otherwise the variant-less or default-variant entry first.
 */
export function pickPlatform(children: readonly PlatformChild[], wanted: string): PlatformChild | undefined {
  const [os, arch, variant] = wanted.toLowerCase().split('/');
  const defaultVariant = arch === 'arm64' ? 'v8' : undefined;
  const candidates = children.filter((c) => {
    const [cOs, cArch] = c.platform.toLowerCase().split('/');
    return cOs === os && cArch === arch;
  });
  const variantOf = (c: PlatformChild): string | undefined => c.platform.toLowerCase().split('/')[2] ?? defaultVariant;
  if (variant) return candidates.find((c) => variantOf(c) === variant);
  return candidates.find((c) => variantOf(c) === defaultVariant) ?? candidates[0];
}
