import type { TextEdit } from '../engine/types';
import type { SourceText } from '../model/positions';
import type { ResolvedRef } from '../actions/refResolution';
import type { UsesSite } from '../model/actionUses';

/**
 * A version comment DriftGuard, pinact, Renovate, Dependabot or ratchet may have written:
 * `# v4.1.7`, `# 1.2.3`, `# tag=v4`, `# ratchet:actions/checkout@v4`, `# pin @v4`. Such a comment
 * is replaced by a pin; any other comment is kept after the new one.
 */
const VERSION_COMMENT = /^#\s*(?:tag=|ratchet:\S+@|pin\s*@)?v?\d[0-9A-Za-z.+-]*\s*$/;

export function isVersionComment(text: string): boolean {
  return VERSION_COMMENT.test(text);
}

/**
 * Edits that pin a `uses:` line to `resolved.commit` and write `# <version>` after it; the rest of
 * the line stays as it was. An existing version comment is replaced, another comment is kept after
 * the new one (`# v4.1.7 # why`).
 */
export function pinUsesEdits(source: SourceText, site: UsesSite, resolved: ResolvedRef): TextEdit[] {
  const edits: TextEdit[] = [{ range: source.rangeOf(site.refStart, site.valueEnd), newText: resolved.commit }];
  const comment = `# ${resolved.comment}`;
  if (!site.commentable) return edits;
  if (site.comment && isVersionComment(site.comment.text)) {
    edits.push({ range: source.rangeOf(site.comment.start, site.comment.end), newText: comment });
  } else if (site.comment) {
    edits.push({ range: source.rangeOf(site.comment.start, site.comment.start), newText: `${comment} ` });
  } else {
    const at = site.inFlow ? lineContentEnd(source.text, site.nodeEnd) : site.nodeEnd;
    edits.push({ range: source.rangeOf(at, at), newText: ` ${comment}` });
  }
  return edits;
}

/** The quick-fix title: the short commit and what it is (`Pin to 8e5e7e5 (v4.1.7)`). */
export function pinUsesTitle(resolved: ResolvedRef): string {
  return `Pin to ${resolved.commit.slice(0, 7)} (${describeResolution(resolved)})`;
}

/** What the ref turned out to be, in words for titles and hovers. */
export function describeResolution(resolved: ResolvedRef): string {
  if (resolved.ambiguous)
    return (
      `${resolved.ref} is both a branch and a tag; GitHub runs the branch` +
      (resolved.versionTag ? `, ${resolved.versionTag}` : '')
    );
  if (resolved.kind === 'branch')
    return resolved.versionTag ? `branch ${resolved.ref}, ${resolved.versionTag}` : `branch ${resolved.ref}`;
  return resolved.comment;
}

/** Offset after the last non-blank character of the line holding `offset`. */
function lineContentEnd(text: string, offset: number): number {
  let end = text.indexOf('\n', offset);
  if (end < 0) end = text.length;
  while (end > offset && /[ \t\r]/.test(text[end - 1]!)) end--;
  return end;
}
