import type { Fix, FileKind, Range, ReportedSeverity, Severity } from './types';
import type { DocumentModel } from './documentModel';
import type { EngineSettings } from './settings';
import type { Suppressions } from './suppressions';

/**
 * `mutable-reference`: an input that can change without the text changing (tags, unpinned packages);
 * `unverified-download`: remote content used without a checksum; `in-place-patching`: a running
 * machine or container changed by hand; `configuration`: DriftGuard's own comments and settings.
 */
export type RuleCategory = 'mutable-reference' | 'unverified-download' | 'in-place-patching' | 'configuration';

/** Static description of a rule; the id is a public contract (config, ignore comments, SARIF, docs). */
export interface RuleMeta<MessageId extends string = string> {
  id: string;
  /** One line, shown in SARIF and the README table. */
  description: string;
  /** What the rule guards against; SARIF reports it as a tag, so code scanning can filter by it. */
  category: RuleCategory;
  /**
   * The kinds whose own model the rule reads (`context.model.parsedAs(…)`). Omitted: the rule reads
   * only the kind-neutral views (image references, shell analysis, comments) and runs on every kind.
   */
  kinds?: readonly FileKind[];
  /** Severity per preset; `off` means the preset leaves the rule disabled. */
  severity: { recommended: Severity; strict: Severity };
  /**
   * The rule reads facts the host fetches from the network (e.g. `currentDigests`). Such a rule
   * runs only when the user turned online checks on (never by a preset or config file), and then
   * at `warning` unless configured otherwise; `severity` is ignored for it.
   */
  network?: boolean;
  /**
   * Whether the rule's reports carry engine fixes (`ReportDescriptor.fixes`): edits computed from the
   * document alone. The engine refuses a fix from a rule that does not say so. Ignore comments and
   * host fixes do not count.
   */
  fixable: boolean;
  /** Fixes hosts make on request with the network (see `HostFixes`); the reports carry their `hostData`. */
  hostFixes?: HostFixes;
  /** Message templates; `{{name}}` is replaced from the report's data. */
  messages: Record<MessageId, string>;
  /** Rules that report on something else's behalf (e.g. config problems) set this to skip ignores. */
  internal?: boolean;
}

/**
 * Fixes that need the network, so only a host (the language server, `driftguard pin`) makes them,
 * lazily: listed at once, resolved when the user picks one, never in an untrusted workspace. A rule
 * declares the ones its findings take; each finding carries what they need in `hostData`.
 */
export interface HostFixes {
  /**
   * Pin the image reference (`hostData`: `reference`, `editTarget`) through its registry: `version`
   * replaces `latest` (or no tag) with the version tag sharing its digest, plus the digest; `digest`
   * keeps the tag and adds its digest; `refresh` replaces a pinned digest with the tag's current one.
   */
  imagePin?: 'version' | 'digest' | 'refresh';
  /** Add `--checksum=sha256:…` to `ADD <url>` (`hostData`: `url`, `checksumAt`), computed by downloading the URL. */
  checksum?: true;
  /**
   * Pin an unpinned package to the version its manager would install today, read from the package
   * archives and indices of the release the stage's base image is built on (`hostData`: `package`,
   * `family`, `manager`; the rest is derived from the document's model).
   */
  packagePin?: true;
  /**
   * Pin a GitHub action's `uses:` to the commit GitHub runs for its ref, with a version comment
   * (`hostData`: `action`, `ref`; the site is the document's `actionUses()` entry at the finding's
   * range), resolved over git's smart-HTTP protocol.
   */
  actionPin?: true;
}

/** How the README's rule table and the docs pages name each host fix (checked by the rule registry test). */
export const HOST_FIX_LABELS: Readonly<Record<keyof HostFixes, string>> = {
  imagePin: 'registry',
  checksum: 'download',
  packagePin: 'archives',
  actionPin: 'git',
};

export interface ReportDescriptor<MessageId extends string = string> {
  range: Range;
  messageId: MessageId;
  /** Values of the message's `{{placeholders}}`. */
  data?: Record<string, string>;
  /** Engine fixes (the rule must be `fixable`). */
  fixes?: Fix[];
  /** What the rule's host fixes need (e.g. the image reference to pin); copied to `Problem.hostData`. */
  hostData?: Record<string, unknown>;
}

/** What a rule sees: the parsed document (never raw re-parsing) and a way to report. */
export interface RuleContext<MessageId extends string = string> {
  readonly model: DocumentModel;
  readonly settings: EngineSettings;
  readonly severity: ReportedSeverity;
  /** The document's ignore comments as the engine reads them (unknown rule ids included). */
  readonly ignoreComments: Suppressions;
  report(descriptor: ReportDescriptor<MessageId>): void;
}

export interface Rule<MessageId extends string = string> {
  meta: RuleMeta<MessageId>;
  check(context: RuleContext<MessageId>): void;
}

export function defineRule<MessageId extends string>(rule: Rule<MessageId>): Rule<MessageId> {
  return rule;
}

/**
 * Orders rule ids as `localeCompare` orders them, without it: ids are lowercase letters and digits
 * joined by hyphens (test/rules/registry.test.ts), and for those the collation order is the code-unit
 * order. The first `localeCompare` of a process sets up the ICU collator, 11–26 ms measured here, which
 * every language server start paid to sort the rules and every first lint to sort its problems.
 */
export function compareRuleIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Repository page documenting a rule; also used as SARIF helpUri and LSP codeDescription. */
export const DOCS_BASE = 'https://github.com/driftguard/driftguard/blob/main/docs/rules/';
export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE}${ruleId}.md`;
}

export function formatMessage(template: string, data: Record<string, string> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => data[key] ?? whole);
}
