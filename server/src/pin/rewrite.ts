import type { Range } from '../engine/types';
import type { HostFixes } from '../engine/rule';
import { parseImageReference } from '../model/imageRef';

/** How a finding's image is pinned, as its rule declares (`HostFixes.imagePin`). */
export type PinStrategy = NonNullable<HostFixes['imagePin']>;

/** What a problem's host data says about the reference to pin (see rules/imageFindings.ts). */
export interface PinTarget {
  strategy: PinStrategy;
  /** The resolved reference, e.g. `nginx:1.27`. */
  reference: string;
  /** Where its literal text is written, when one place holds it whole. */
  editTarget?: { range: Range; text: string };
  /** The consumer takes no tag beside a digest (dev container features): write `name@digest`. */
  digestOnly?: boolean;
}

/** Registry facts a rewrite needs. */
export interface PinFacts {
  digest: string;
  /** For `latest`, other floating tags and untagged: the most specific version tag sharing the digest, if any. */
  version?: string;
}

export type Rewrite = { title: string; range: Range; newText: string } | { reason: string };

/** Whether the pin looks for the version `latest` is (rather than keeping the tag). */
export function wantsVersion(strategy: PinStrategy): boolean {
  return strategy === 'version';
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
  const tag = parsed.tag ?? 'latest';
  if (target.digestOnly) {
    const of = wantsVersion(target.strategy) ? (facts.version ?? tag) : tag;
    return { title: `Pin to the digest of ${of}`, range: edit.range, newText: `${name}@${facts.digest}` };
  }
  if (wantsVersion(target.strategy)) {
    if (facts.version)
      return {
        title: `Pin to ${facts.version} (same image as ${tag})`,
        range: edit.range,
        newText: `${name}:${facts.version}@${facts.digest}`,
      };
    return {
      title: `Pin ${tag} to its digest (no version tag shares it)`,
      range: edit.range,
      newText: `${name}:${tag}@${facts.digest}`,
    };
  }
  const title = target.strategy === 'refresh' ? `Update digest of ${tag}` : `Pin ${tag} to its digest`;
  return { title, range: edit.range, newText: `${name}:${tag}@${facts.digest}` };
}
