import type { ExecutionContext, Range } from '../engine/types';

/** The parts of an image reference string, split the way Docker's reference grammar does. */
export interface ParsedImage {
  /** Registry host (with port) when the first path component is one, e.g. `localhost:5000`, `ghcr.io`. */
  registry?: string;
  /** Repository path without registry, e.g. `library/nginx` is written `nginx`. */
  repository: string;
  tag?: string;
  /** Full digest including algorithm, e.g. `sha256:…`. */
  digest?: string;
  /** Offsets inside the reference string. */
  nameEnd: number;
  tagStart?: number;
  digestStart?: number;
}

/** Where an image reference was found (each kind names its own places); hosts carry it with pin fixes. */
export type ImageReferenceSource =
  | 'from'
  | 'copy-from'
  | 'mount-from'
  | 'syntax-directive'
  | 'compose-image'
  | 'shell-command'
  | (string & NonNullable<unknown>);

/**
 * A place in the document where the text (or what it resolves to) names an image to pull.
 * `range` covers the token as written; the part ranges are set only when the value is written
 * literally (no variable), so rules can point at the exact tag or name.
 */
export interface ImageReference {
  source: ImageReferenceSource;
  /** Text as written, e.g. `nginx:1.25` or `$BASE`. */
  written: string;
  range: Range;
  /** Value after variable substitution, e.g. `nginx:1.25`. */
  resolved: string;
  image: ParsedImage;
  /** True when `resolved` came from variable substitution. */
  viaVariable: boolean;
  nameRange?: Range;
  tagRange?: Range;
  digestRange?: Range;
  /**
   * The literal text a pin fix rewrites: the reference itself, an ARG default, or the default
   * inside `${X:-default}`. Absent when no literal place holds the whole value.
   */
  editTarget?: { range: Range; text: string };
  /**
   * The consumer takes no tag beside a digest (dev container features): a pin writes `name@digest`
   * instead of `name:tag@digest`.
   */
  digestOnly?: boolean;
  /** For shell commands: build or live. */
  executionContext?: ExecutionContext;
}

const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/;

/** Splits `[registry/]repo[:tag][@digest]`; returns undefined when the text is not a plausible reference. */
export function parseImageReference(text: string): ParsedImage | undefined {
  if (text.length === 0 || /\s/.test(text)) return undefined;
  let rest = text;
  let digest: string | undefined;
  let digestStart: number | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    digestStart = at + 1;
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  let tagStart: number | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    tagStart = lastColon + 1;
    rest = rest.slice(0, lastColon);
    if (!/^[\w][\w.-]{0,127}$/.test(tag)) return undefined;
  }
  if (rest.length === 0) return undefined;
  const slash = rest.indexOf('/');
  let registry: string | undefined;
  let repository = rest;
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      repository = rest.slice(slash + 1);
    }
  }
  if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(repository))
    return undefined;
  const parsed: ParsedImage = { repository, nameEnd: rest.length };
  if (registry !== undefined) parsed.registry = registry;
  if (tag !== undefined) {
    parsed.tag = tag;
    parsed.tagStart = tagStart;
  }
  if (digest !== undefined) {
    parsed.digest = digest;
    parsed.digestStart = digestStart;
  }
  return parsed;
}

/** Name as written, without tag or digest: `localhost:5000/app`. */
export function imageName(image: ParsedImage): string {
  return image.registry ? `${image.registry}/${image.repository}` : image.repository;
}

/** Glob-ish match of `images.allow` patterns (`*` = any run of characters) against a resolved reference. */
export function matchesImagePattern(reference: string, pattern: string): boolean {
  const re = new RegExp('^' + pattern.split('*').map(escapeRegExp).join('.*') + '$');
  const withoutDigest = reference.split('@')[0] ?? reference;
  return re.test(reference) || re.test(withoutDigest);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
