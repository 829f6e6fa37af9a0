import type { Range } from '../engine/types';
import { parseImageReference } from '../model/imageRef';

/** Rule ids whose findings a registry lookup can fix by pinning. */
export const PINNABLE_RULES = [
  'image-untagged',
  'image-latest-tag',
  'image-unpinned-digest',
  'image-digest-stale',
] as const;
export type PinnableRule = (typeof PINNABLE_RULES)[number];

/** What a problem's payload says about the reference to pin (see rules/imageFindings.ts). */
export interface PinTarget {
  ruleId: PinnableRule;
  /** The resolved reference, e.g. `nginx:1.27`. */
  reference: string;
  /** Where its literal text is written, when one place holds it whole. */
  editTarget?: { range: Range; text: string };
}

/** Registry facts a rewrite needs. */
export interface PinFacts {
  digest: string;
  /** For `latest`/untagged: the most specific version tag sharing the digest, if any. */
  version?: string;
}

export type Rewrite = { title: string; range: Range; newText: string } | { reason: string };

export function isPinnable(ruleId: string): ruleId is PinnableRule {
  return (PINNABLE_RULES as readonly string[]).includes(ruleId);
}

/** Whether the rule pins to a version found from `latest` (rather than keeping the tag). */
export function wantsVersion(ruleId: PinnableRule): boolean {
  return ruleId === 'image-untagged' || ruleId === 'image-latest-tag';
}

/**
 * The text that replaces the written reference. The name stays as written (registry prefix,
 * no `docker.io/library/` added); a tag stays in place and the digest follows it, as Renovate does.
 * Refuses, with a reason, when no single literal holds the whole reference.
 */
export function rewriteFor(target: PinTarget, facts: PinFacts): Rewrite {
  const edit = target.editTarget;
  if (!edit)
    return {
      reason:
        `“${target.reference}” is assembled from variables, so there is no single place to write a digest; pin ` +
        `it where the value comes from`,
    };
  if (edit.text !== target.reference)
    return { reason: `“${edit.text}” is not the whole reference “${target.reference}”` };
  const parsed = parseImageReference(edit.text);
  if (!parsed) return { reason: `“${edit.text}” is not an image reference` };
  const name = edit.text.slice(0, parsed.nameEnd);
  if (wantsVersion(target.ruleId)) {
    if (facts.version)
      return {
        title: `Pin to ${facts.version} (same image as latest)`,
        range: edit.range,
        newText: `${name}:${facts.version}@${facts.digest}`,
      };
    return {
      title: 'Pin latest to its digest (no version tag shares it)',
      range: edit.range,
      newText: `${name}:latest@${facts.digest}`,
    };
  }
  const tag = parsed.tag ?? 'latest';
  const title = target.ruleId === 'image-digest-stale' ? `Update digest of ${tag}` : `Pin ${tag} to its digest`;
  return { title, range: edit.range, newText: `${name}:${tag}@${facts.digest}` };
}
