import type { Fix, FileKind, Range, ReportedSeverity, Severity } from './types';
import type { DocumentModel } from './documentModel';
import type { EngineSettings } from './settings';

/** Static description of a rule; the id is a public contract (config, ignore comments, SARIF, docs). */
export interface RuleMeta<MessageId extends string = string> {
  id: string;
  /** One line, shown in SARIF and the README table. */
  description: string;
  /**
   * The kinds whose own model the rule reads (`context.model.parsedAs(…)`). Omitted: the rule reads
   * only the kind-neutral views (image references, shell analysis, comments) and runs on every kind.
   */
  kinds?: readonly FileKind[];
  /** Severity per preset; `off` means the preset leaves the rule disabled. */
  severity: { recommended: Severity; strict: Severity };
  /** Whether the rule offers fixes of its own (beyond ignore comments). */
  fixable: boolean;
  /** Message templates; `{{name}}` is replaced from the report's data. */
  messages: Record<MessageId, string>;
  /** Rules that report on something else's behalf (e.g. config problems) set this to skip ignores. */
  internal?: boolean;
}

export interface ReportDescriptor<MessageId extends string = string> {
  range: Range;
  messageId: MessageId;
  data?: Record<string, string>;
  fixes?: Fix[];
  /** Structured data hosts need for follow-up actions (e.g. the image reference to pin). */
  payload?: Record<string, unknown>;
}

/** What a rule sees: the parsed document (never raw re-parsing) and a way to report. */
export interface RuleContext<MessageId extends string = string> {
  readonly model: DocumentModel;
  readonly settings: EngineSettings;
  readonly severity: ReportedSeverity;
  report(descriptor: ReportDescriptor<MessageId>): void;
}

export interface Rule<MessageId extends string = string> {
  meta: RuleMeta<MessageId>;
  check(context: RuleContext<MessageId>): void;
}

export function defineRule<MessageId extends string>(rule: Rule<MessageId>): Rule<MessageId> {
  return rule;
}

/** Repository page documenting a rule; also used as SARIF helpUri and LSP codeDescription. */
export const DOCS_BASE = 'https://github.com/driftguard/driftguard/blob/main/docs/rules/';
export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE}${ruleId}.md`;
}

export function formatMessage(template: string, data: Record<string, string> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => data[key] ?? whole);
}
