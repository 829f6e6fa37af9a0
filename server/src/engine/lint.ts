import type { Problem, ReportedSeverity } from './types';
import type { DocumentModel } from './documentModel';
import { compareRuleIds, formatMessage, ReportDescriptor, Rule, RuleContext } from './rule';
import type { EngineSettings } from './settings';
import { findSuppressions, isSuppressed, Suppressions } from './suppressions';
import { NODES_PER_STEP } from '../shell/analyse';

export interface LintResult {
  problems: Problem[];
  /** Set when the document was not analysed, with a reason a user understands. */
  skipped?: string;
  /** One line per rule that threw; the other rules' problems are still returned. */
  internalErrors: string[];
  /** The document as parsed, for hosts that answer follow-up requests (code actions, hovers) without re-parsing. */
  model: DocumentModel;
}

/**
 * A lint in steps: the generator stops (yields) after the parse and after each rule, so a host that
 * must stay responsive (the language server on a large document) can answer other requests in between.
 * Driven to its end by `finish`, it is `lintDocument`.
 */
export type LintSteps<R = LintResult> = Generator<void, R, void>;

/** Runs a lint's steps to the end, without pausing. */
export function finish<R>(steps: LintSteps<R>): R {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Text + settings in (the model), problems out. Parses the document once, runs every enabled rule
 * that applies to its kind, isolates rule failures, and applies ignore comments centrally.
 * `knownIds`: the rule ids ignore comments may name (the engine's rules).
 */
export function lintDocument(model: DocumentModel, rules: readonly Rule[], knownIds: ReadonlySet<string>): LintResult {
  return finish(lintDocumentSteps(model, rules, knownIds));
}

/** `lintDocument` in steps (see `LintSteps`). */
export function* lintDocumentSteps(
  model: DocumentModel,
  rules: readonly Rule[],
  knownIds: ReadonlySet<string>,
): LintSteps {
  const input = model.input;
  const result: LintResult = { problems: [], internalErrors: [], model };
  if (input.text.includes('\u0000')) return { ...result, skipped: 'binary file (contains NUL bytes)' };
  const longLine = firstLongLine(input.text);
  if (longLine !== undefined)
    return {
      ...result,
      skipped:
        `line ${longLine + 1} is longer than ${MAX_LINE_LENGTH / 1024} KB ` +
        '(generated or minified content is not analysed)',
    };
  const skipped = model.kind.skipReason?.(model.parsed);
  if (skipped !== undefined) return { ...result, skipped };
  yield;
  if (model.kind.shellSnippets && rules.some((rule) => appliesTo(rule, input))) {
    // The shell analysis most rules read, made here in steps: in a large script it is most of the
    // lint, and as part of the first rule that reads it, it would be one long step.
    try {
      yield* model.prepareShell(NODES_PER_STEP);
    } catch {
      // Each rule that reads the analysis meets the error again and reports it as its own.
    }
  }
  let suppressions;
  try {
    suppressions = findSuppressions(model, knownIds);
  } catch (error) {
    result.internalErrors.push(`ignore comments: ${describeError(error)}`);
  }
  for (const rule of rules) {
    if (!appliesTo(rule, input)) continue;
    const severity = input.settings.severities[rule.meta.id] as ReportedSeverity;
    const reported: Problem[] = [];
    yield;
    try {
      rule.check(
        new LintContext(model, input.settings, severity, knownIds, (descriptor) => {
          // As ESLint's linter does: a rule that fixes must say so, so `fixable` can be trusted.
          if (descriptor.fixes && descriptor.fixes.length > 0 && !rule.meta.fixable)
            throw new Error(`rule ${rule.meta.id} reported a fix but its meta.fixable is false`);
          const template = rule.meta.messages[descriptor.messageId] ?? descriptor.messageId;
          reported.push({
            ruleId: rule.meta.id,
            severity,
            message: formatMessage(template, descriptor.data),
            messageId: descriptor.messageId,
            range: descriptor.range,
            fixes: descriptor.fixes ?? [],
            ...(descriptor.hostData ? { hostData: descriptor.hostData } : {}),
          });
        }),
      );
    } catch (error) {
      result.internalErrors.push(`rule ${rule.meta.id} failed on ${input.uri}: ${describeError(error)}`);
      continue;
    }
    for (const problem of reported) {
      if (!rule.meta.internal && suppressions && isSuppressed(suppressions, problem.ruleId, problem.range.start.line))
        continue;
      result.problems.push(problem);
    }
  }
  result.problems.sort(
    (a, b) =>
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      compareRuleIds(a.ruleId, b.ruleId),
  );
  return result;
}

/**
 * What a rule sees. A class (its getter on the prototype), not an object literal with its own
 * `get ignoreComments()`: V8 keeps a literal's own accessor outside the young generation, and the
 * getter's scope holds the model, so every file's model, tokens and shell words survived young
 * collections and were promoted until the next full one. Measured on the single-threaded corpus
 * scan: 351 MB promoted and 2–3 s of scavenges with the literal, 80 MB and 0.7 s with this class.
 */
class LintContext implements RuleContext {
  constructor(
    readonly model: DocumentModel,
    readonly settings: EngineSettings,
    readonly severity: ReportedSeverity,
    private readonly knownIds: ReadonlySet<string>,
    readonly report: (descriptor: ReportDescriptor) => void,
  ) {}

  get ignoreComments(): Suppressions {
    return findSuppressions(this.model, this.knownIds);
  }
}

/** The rule is on and reads documents of the input's kind. */
function appliesTo(rule: Rule, input: DocumentModel['input']): boolean {
  return (
    (input.settings.severities[rule.meta.id] ?? 'off') !== 'off' &&
    (!rule.meta.kinds || (rule.meta.kinds as readonly string[]).includes(input.kind))
  );
}

/**
 * Longest line analysed. Hand-written infrastructure files stay far below it (the longest line in
 * the 4,000-file corpus is about 1 KB); parsers slow down superlinearly on multi-megabyte lines.
 */
export const MAX_LINE_LENGTH = 16 * 1024;

function firstLongLine(text: string): number | undefined {
  if (text.length <= MAX_LINE_LENGTH) return undefined;
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 10;
    if (c !== 10 && c !== 13) continue;
    if (i - lineStart > MAX_LINE_LENGTH) return line;
    if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
    line++;
    lineStart = i + 1;
  }
  return undefined;
}

function describeError(error: unknown): string {
  return error instanceof Error
    ? `${error.message}${error.stack ? `\n${error.stack.split('\n').slice(1, 4).join('\n')}` : ''}`
    : String(error);
}
