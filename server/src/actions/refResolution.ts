import type { RefListing } from '../git/refs';
import { classifyRef, isVersionLike } from '../model/actionUses';

/**
 * What a `uses:` ref runs, as GitHub would resolve it against the repository's refs. Annotated tags
 * (and tags of tags) are peeled to their commit. A name that is both a branch and a tag runs the
 * branch (observed behaviour, the ref confusion zizmor audits): `ambiguous` then holds both commits.
 */
export interface ResolvedRef {
  ref: string;
  /** The commit GitHub runs for `ref`. */
  commit: string;
  /** What `ref` named: a branch, a tag, or a commit written in full (or a unique short SHA). */
  kind: 'branch' | 'tag' | 'commit';
  ambiguous?: { branchCommit: string; tagCommit: string };
  /** Every tag on `commit`, most specific version first, then other tags by name. */
  tags: string[];
  /** The most specific version-like tag on `commit`, if any. */
  versionTag?: string;
  /** The version comment a pin writes: `versionTag`, else the ref as written. */
  comment: string;
}

export type RefResolution = ResolvedRef | { reason: string };

/** Commit a ref points to: a tag's peeled object, else its own object. */
function target(ref: { oid: string; peeled?: string }): string {
  return ref.peeled ?? ref.oid;
}

/** Resolves `ref` (as written after `@`) against a listing; a reason when it names nothing there. */
export function resolveRef(listing: RefListing, ref: string): RefResolution {
  const branch = listing.refs.find((r) => r.name === `refs/heads/${ref}`);
  const tag = listing.refs.find((r) => r.name === `refs/tags/${ref}`);
  let commit: string;
  let kind: ResolvedRef['kind'];
  if (branch) {
    commit = branch.oid;
    kind = 'branch';
  } else if (tag) {
    commit = target(tag);
    kind = 'tag';
  } else if (classifyRef(ref) === 'sha') {
    commit = ref;
    kind = 'commit';
  } else if (classifyRef(ref) === 'short-sha') {
    const commits = new Set(listing.refs.map(target).filter((oid) => oid.startsWith(ref)));
    if (commits.size !== 1)
      return {
        reason:
          commits.size === 0
            ? `“${ref}” is a short SHA that no branch or tag points to; ` +
              'GitHub runs only full commit SHAs: write the full 40-character SHA'
            : `“${ref}” is a short SHA matching ${commits.size} commits; write the full 40-character SHA`,
      };
    commit = [...commits][0]!;
    kind = 'commit';
  } else {
    return { reason: `no branch or tag named “${ref}”` };
  }
  const tags = tagsOn(listing, commit);
  const versionTag = mostSpecificVersion(tags, ref);
  const resolved: ResolvedRef = { ref, commit, kind, tags, comment: versionTag ?? ref };
  if (versionTag) resolved.versionTag = versionTag;
  if (branch && tag) resolved.ambiguous = { branchCommit: branch.oid, tagCommit: target(tag) };
  return resolved;
}

/** Tags pointing at `commit` (after peeling), most specific version first, then the others by name. */
export function tagsOn(listing: RefListing, commit: string): string[] {
  const names = listing.refs
    .filter((r) => r.name.startsWith('refs/tags/') && target(r) === commit)
    .map((r) => r.name.slice('refs/tags/'.length));
  const versions = names.filter(isVersionLike).sort((a, b) => compareSpecificity(b, a, undefined));
  const others = names.filter((n) => !isVersionLike(n)).sort();
  return [...versions, ...others];
}

/** The commit a tag name points to (peeled), if the listing has that tag. */
export function tagCommit(listing: RefListing, name: string): string | undefined {
  const tag = listing.refs.find((r) => r.name === `refs/tags/${name}`);
  return tag && target(tag);
}

interface Version {
  parts: number[];
  suffix: string;
  v: boolean;
}

function parseVersion(name: string): Version {
  const m = /^(v?)([\d.]+)(.*)$/.exec(name)!;
  return { v: m[1] === 'v', parts: m[2]!.split('.').filter(Boolean).map(Number), suffix: m[3] ?? '' };
}

/**
 * Orders version tags by how precisely they name a release: more numeric parts, then no
 * pre-release or build suffix, then the written ref's `v` style, then the higher version, then name.
 */
function compareSpecificity(a: string, b: string, written: string | undefined): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (x.parts.length !== y.parts.length) return x.parts.length - y.parts.length;
  if (!x.suffix !== !y.suffix) return x.suffix ? -1 : 1;
  // `v4.1.7` over `4.1.7` unless the ref was written without the `v`.
  const wantsV = written !== undefined && isVersionLike(written) ? written.startsWith('v') : true;
  if (x.v !== y.v) return x.v === wantsV ? 1 : -1;
  for (let i = 0; i < x.parts.length; i++) if (x.parts[i] !== y.parts[i]) return x.parts[i]! - y.parts[i]!;
  return a < b ? 1 : a > b ? -1 : 0;
}

/** The most specific version-like tag among `tags` (`v4.1.7` over `v4.1` over `v4`). */
export function mostSpecificVersion(tags: readonly string[], written?: string): string | undefined {
  let best: string | undefined;
  for (const tag of tags) {
    if (!isVersionLike(tag)) continue;
    if (best === undefined || compareSpecificity(tag, best, written) > 0) best = tag;
  }
  return best;
}
