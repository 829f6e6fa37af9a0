import type { Range } from '../engine/types';

/**
 * What the ref of a `uses: owner/repo[/path]@<ref>` names, judged offline from its shape:
 * `sha` (40 hex: immutable), `short-sha` (7–39 hex: ambiguous, GitHub no longer runs short SHAs),
 * `version` (a tag-like version: `v4`, `v4.1.7`, `1.2.3`, `v2-beta`) or `branch` (anything else).
 */
export type RefClass = 'sha' | 'short-sha' | 'version' | 'branch';

/** A remote action or reusable workflow as a `uses:` value names it. */
export interface ActionUses {
  /** `owner/repo`: the repository git is asked about. */
  repository: string;
  /** Path inside the repository (`restore` of `actions/cache/restore@v4`), if any. */
  path?: string;
  ref: string;
  refClass: RefClass;
  /** Offset of the ref (after `@`) in the value. */
  refStart: number;
}

const VERSION_LIKE = /^v?\d+(?:\.\d+){0,3}(?:[-+][0-9A-Za-z.-]+)?$/;
const SHA = /^[0-9a-f]{40}$/;
const SHORT_SHA = /^[0-9a-f]{7,39}$/;
const NAME = /^[A-Za-z0-9_.-]+$/;

export function classifyRef(ref: string): RefClass {
  if (SHA.test(ref)) return 'sha';
  if (SHORT_SHA.test(ref)) return 'short-sha';
  if (VERSION_LIKE.test(ref)) return 'version';
  return 'branch';
}

export function isVersionLike(ref: string): boolean {
  return VERSION_LIKE.test(ref);
}

/**
 * Parses a `uses:` value naming a remote action. Local actions (`./…`), Docker images
 * (`docker://…`), expressions and values without `@ref` give undefined: they are not action refs.
 */
export function parseActionUses(value: string): ActionUses | undefined {
  if (value.startsWith('./') || value.startsWith('.\\') || value.startsWith('docker://')) return undefined;
  if (value.includes('${{') || /\s/.test(value)) return undefined;
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return undefined;
  const [owner, repo, ...path] = value.slice(0, at).split('/');
  if (!owner || !repo || !NAME.test(owner) || !NAME.test(repo) || path.some((p) => p === '')) return undefined;
  const ref = value.slice(at + 1);
  const uses: ActionUses = { repository: `${owner}/${repo}`, ref, refClass: classifyRef(ref), refStart: at + 1 };
  if (path.length > 0) uses.path = path.join('/');
  return uses;
}

/** A `uses:` naming a remote action or reusable workflow, where it is written. */
export interface ActionUseSite {
  uses: ActionUses;
  /** The value as written (inside quotes). */
  range: Range;
  /** The ref after `@`. */
  refRange: Range;
  /** Offsets a pin rewrites; absent when the value is not written literally (escapes, block scalar). */
  site?: UsesSite;
  /** `step` (`steps[].uses`) or `job` (a job calling a reusable workflow). */
  origin: 'step' | 'job';
}

/** Where a `uses:` value sits in its document; offsets come from the YAML parser. */
export interface UsesSite {
  /** The value as written, quotes excluded. */
  value: string;
  /** Offset of the first character of `value`. */
  valueStart: number;
  /** Offset of the ref (after `@`) and of the value's end. */
  refStart: number;
  valueEnd: number;
  /** End of the scalar node (after a closing quote). */
  nodeEnd: number;
  /** The comment on the line where the value ends, if any (`#` to end of line). */
  comment?: { start: number; end: number; text: string };
  /** True when the value sits in a flow collection (`{ uses: … }`): a new comment goes to the end of its line. */
  inFlow: boolean;
  /** False for block scalars and values spanning lines: no comment can follow them on their line. */
  commentable: boolean;
}
