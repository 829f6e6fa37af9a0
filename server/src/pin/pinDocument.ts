import type { Range, TextEdit } from '../engine/types';
import type { LintInput } from '../engine/settings';
import type { Engine } from '../engine/engine';
import type { RegistryClient } from '../registry';
import type { ActionRefService } from '../actions/refService';
import { PinFacts, PinTarget, rewriteFor, wantsVersion } from './rewrite';
import { hostFixesOf, RULES } from '../rules';
import { describeFailure, resolvePinFacts } from './resolve';
import { actionSiteOf, resolveActionPin } from './actionPins';

/**
 * The lookups a pin run may make: images through the registry, action refs through the git server.
 * Each is optional on its own: with registry lookups off, actions are still pinned (and the reverse).
 */
export interface PinServices {
  /** Absent: image references are left as they are (reported as not pinned, with the reason). */
  registry?: RegistryClient;
  /** Why `registry` is absent, for the report. */
  registryUnavailable?: string;
  /** Absent: action refs are left as they are (reported as not pinned, with the reason). */
  actions?: ActionRefService;
  /** Why `actions` is absent, for the report. */
  actionsUnavailable?: string;
}

/** One reference a pin run changed or could not change. */
export interface PinOutcome {
  reference: string;
  /** 0-based line of the reference. */
  line: number;
  newText?: string;
  reason?: string;
}

export interface DocumentPinPlan {
  edits: TextEdit[];
  pinned: PinOutcome[];
  failed: PinOutcome[];
}

/** The pin a problem takes: its rule's `imagePin` host fix, with the reference its host data carries. */
export function pinTargetOf(problem: { ruleId: string; hostData?: Record<string, unknown> }): PinTarget | undefined {
  const strategy = hostFixesOf(problem.ruleId).imagePin;
  if (!strategy || typeof problem.hostData?.reference !== 'string') return undefined;
  const editTarget = problem.hostData.editTarget as PinTarget['editTarget'];
  return {
    strategy,
    reference: problem.hostData.reference,
    ...(editTarget ? { editTarget } : {}),
    ...(problem.hostData.digestOnly === true ? { digestOnly: true } : {}),
  };
}

/** Rules whose findings a pin run fixes (a digest refresh needs registry facts a pin run does not lint with). */
const PIN_RULE_IDS = RULES.filter((rule) => {
  const strategy = rule.meta.hostFixes?.imagePin;
  return (strategy !== undefined && strategy !== 'refresh') || rule.meta.hostFixes?.actionPin;
}).map((rule) => rule.meta.id);

/**
 * Every mutable reference of a document pinned: images through the registry (untagged/`latest` to
 * the exact version with the same digest, tags to tag + digest), action refs through the git server
 * (to the commit GitHub would run, with a version comment). References on `images.allow` and ignored
 * findings stay as they are; the image and action rules count as enabled even when configured off.
 * Every lookup starts at once (the clients bound concurrency per host); outcomes are in document order.
 */
export async function planDocumentPins(
  engine: Engine,
  input: LintInput,
  services: PinServices,
  signal?: AbortSignal,
): Promise<DocumentPinPlan> {
  const severities = { ...input.settings.severities };
  for (const id of PIN_RULE_IDS) if ((severities[id] ?? 'off') === 'off') severities[id] = 'info';
  const result = engine.lint({ ...input, settings: { ...input.settings, severities } });
  const model = result.model;
  const lookups = new Map<string, Promise<PinFacts>>();
  const steps: Array<
    () => Promise<{ reference: string; line: number; edits?: TextEdit[]; newText?: string; reason?: string }>
  > = [];
  for (const problem of result.problems) {
    const line = problem.range.start.line;
    const site = actionSiteOf(model, problem);
    if (site) {
      const reference = model.source.textOf(site.range);
      const actions = services.actions;
      if (!actions) {
        const reason = services.actionsUnavailable ?? 'action refs are not looked up here';
        steps.push(async () => ({ reference, line, reason }));
        continue;
      }
      const pin = resolveActionPin(model, site, actions, signal);
      steps.push(async () => {
        const done = await pin;
        if ('reason' in done) return { reference, line, reason: done.reason };
        return { reference, line, edits: done.edits, newText: lineAfter(model.source.text, site.range, done.edits) };
      });
      continue;
    }
    const target = pinTargetOf(problem);
    if (!target) continue;
    const registry = services.registry;
    if (!registry) {
      const reason = services.registryUnavailable ?? 'images are not looked up here';
      steps.push(async () => ({ reference: target.reference, line, reason }));
      continue;
    }
    const key = `${wantsVersion(target.strategy) ? 'version' : 'digest'}:${target.reference}`;
    let lookup = lookups.get(key);
    if (!lookup) {
      lookup = resolvePinFacts(registry, target, signal);
      lookup.catch(() => undefined);
      lookups.set(key, lookup);
    }
    const facts = lookup;
    steps.push(async () => {
      try {
        const rewrite = rewriteFor(target, await facts);
        if ('reason' in rewrite) return { reference: target.reference, line, reason: rewrite.reason };
        return {
          reference: target.reference,
          line,
          edits: [{ range: rewrite.range, newText: rewrite.newText }],
          newText: rewrite.newText,
        };
      } catch (error) {
        return { reference: target.reference, line, reason: describeFailure(error) };
      }
    });
  }
  const plan: DocumentPinPlan = { edits: [], pinned: [], failed: [] };
  for (const step of steps) {
    const outcome = await step();
    if (outcome.edits) {
      plan.edits.push(...outcome.edits);
      plan.pinned.push({ reference: outcome.reference, line: outcome.line, newText: outcome.newText! });
    } else plan.failed.push({ reference: outcome.reference, line: outcome.line, reason: outcome.reason! });
  }
  return plan;
}

/** The `uses:` value and what follows it on its line once `edits` are applied, for the report. */
function lineAfter(text: string, range: Range, edits: readonly TextEdit[]): string {
  const lines = text.split(/\r?\n/);
  const line = range.start.line;
  let updated = lines[line] ?? '';
  for (const edit of [...edits].sort((a, b) => b.range.start.character - a.range.start.character)) {
    if (edit.range.start.line !== line || edit.range.end.line !== line) continue;
    updated = updated.slice(0, edit.range.start.character) + edit.newText + updated.slice(edit.range.end.character);
  }
  return updated.slice(range.start.character).trimEnd();
}
