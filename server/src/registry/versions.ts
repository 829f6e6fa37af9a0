import { floatingTagVariant, isFloatingTag } from '../model/channelTags';

/** A tag that reads as a version: `1`, `1.27`, `v1.27.2`, `1.27.2-alpine`. */
export interface VersionTag {
  tag: string;
  parts: number[];
  /** Text after the first `-`, e.g. `alpine`; empty for plain versions. */
  suffix: string;
  vPrefix: boolean;
}

const VERSION = /^(v?)(\d+(?:\.\d+){0,3})(?:-([0-9A-Za-z][0-9A-Za-z._-]*))?$/;

export function parseVersionTag(tag: string): VersionTag | undefined {
  const m = VERSION.exec(tag);
  if (!m) return undefined;
  return { tag, parts: (m[2] ?? '').split('.').map(Number), suffix: m[3] ?? '', vPrefix: m[1] === 'v' };
}

/**
 * The variant a tag stands for: `''` for `latest`, `stable` and plain versions, `alpine` for `alpine`,
 * `lts-alpine` or `1.2-alpine`.
 */
export function tagFlavor(tag: string): string {
  const version = parseVersionTag(tag);
  if (version) return version.suffix;
  return isFloatingTag(tag) ? floatingTagVariant(tag) : tag;
}

/**
 * Scan order: descending, a shorter version before its refinements (`1` > `1.27` > `1.27.2` >
 * `1.27.1` > `1.26`), so every refinement of a tag follows it contiguously.
 */
export function compareVersionTags(a: VersionTag, b: VersionTag): number {
  const n = Math.max(a.parts.length, b.parts.length);
  for (let i = 0; i < n; i++) {
    const x = a.parts[i] ?? Infinity;
    const y = b.parts[i] ?? Infinity;
    if (x !== y) return y > x ? 1 : -1;
  }
  if (a.vPrefix !== b.vPrefix) return a.vPrefix ? 1 : -1;
  return a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0;
}

/** Version tags of the same flavor as `givenTag` (falling back to plain versions), in scan order. */
export function versionCandidates(tags: readonly string[], givenTag: string): VersionTag[] {
  const versions = tags.map(parseVersionTag).filter((v): v is VersionTag => v !== undefined);
  const flavor = tagFlavor(givenTag);
  let chosen = versions.filter((v) => v.suffix === flavor);
  if (chosen.length === 0 && flavor !== '') chosen = versions.filter((v) => v.suffix === '');
  return chosen.sort(compareVersionTags);
}

function refines(candidate: VersionTag, base: VersionTag): boolean {
  return candidate.parts.length > base.parts.length && base.parts.every((p, i) => candidate.parts[i] === p);
}

/**
 * The most specific candidate for which `matches` is true (more version parts wins; ties go to
 * the earlier one in scan order). Checks `batch` candidates at a time, at most `max` in all, and
 * stops once a match has been found and the remaining candidates cannot refine it.
 */
export async function findMostSpecific(
  candidates: readonly VersionTag[],
  matches: (tag: string) => Promise<boolean>,
  { batch = 4, max = 100 }: { batch?: number; max?: number } = {},
): Promise<VersionTag | undefined> {
  let best: VersionTag | undefined;
  const limit = Math.min(candidates.length, max);
  let i = 0;
  while (i < limit) {
    const current: VersionTag | undefined = best;
    if (current && !refines(candidates[i] as VersionTag, current)) break;
    const slice = candidates.slice(i, Math.min(i + batch, limit));
    const results = await Promise.all(slice.map((c) => matches(c.tag)));
    slice.forEach((c, j) => {
      if (results[j] && (!best || c.parts.length > best.parts.length)) best = c;
    });
    i += slice.length;
  }
  return best;
}
