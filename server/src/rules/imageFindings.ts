import type { EngineSettings } from '../engine/settings';
import type { Range } from '../engine/types';
import { ImageReference, imageName, matchesImagePattern } from '../model/imageRef';
import { isFloatingTag } from '../model/channelTags';

/**
 * The single strongest mutable-reference finding of an image reference (untagged > latest > unpinned);
 * `latest` covers every floating tag (`stable`, `lts-alpine`, `slim`, …).
 */
export type ImageFinding = 'untagged' | 'latest' | 'unpinned';

/**
 * Classifies a reference once so the three image rules never double-report: each rule reports only
 * when the strongest finding is its own, so ignoring it never surfaces a weaker one.
 */
export function classifyImage(ref: ImageReference, settings: EngineSettings): ImageFinding | undefined {
  if (ref.image.digest) return undefined;
  if (settings.imagesAllow.some((pattern) => matchesImagePattern(ref.resolved, pattern))) return undefined;
  if (ref.image.tag === undefined) return 'untagged';
  if (isFloatingTag(ref.image.tag)) return 'latest';
  return 'unpinned';
}

/** “nginx:1.25” or “$BASE” (resolves to “nginx:1.25”) for messages. */
export function describeReference(ref: ImageReference): string {
  return ref.viaVariable ? `“${ref.written}” (resolves to “${ref.resolved}”)` : `“${ref.resolved}”`;
}

export function findingRange(ref: ImageReference, finding: ImageFinding): Range {
  if (finding === 'untagged') return ref.nameRange ?? ref.range;
  return ref.tagRange ?? ref.range;
}

export function referenceData(ref: ImageReference): Record<string, string> {
  return { ref: describeReference(ref), name: imageName(ref.image), tag: ref.image.tag ?? 'latest' };
}

/** What the image pin host fix needs (see `HostFixes.imagePin`). */
export function referenceHostData(ref: ImageReference): Record<string, unknown> {
  return {
    reference: ref.resolved,
    source: ref.source,
    ...(ref.editTarget ? { editTarget: ref.editTarget } : {}),
    ...(ref.digestOnly ? { digestOnly: true } : {}),
  };
}
