import type { TextEdit } from '../engine/types';
import type { LintInput } from '../engine/settings';
import { lint } from '../engine/lint';
import type { RegistryClient } from '../registry';
import { PinFacts, PinTarget, rewriteFor, wantsVersion } from './rewrite';
import { hostFixesOf, RULES } from '../rules';
import { describeFailure, resolvePinFacts } from './resolve';

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
  return strategy !== undefined && strategy !== 'refresh';
}).map((rule) => rule.meta.id);

/**
 * Every mutable image reference of a document pinned through the registry: untagged/`latest` to the
 * exact version with the same digest, tags to tag + digest. References on `images.allow` and ignored
 * findings stay as they are; the image rules count as enabled even when configured off.
 */
export async function planDocumentPins(
  input: LintInput,
  client: RegistryClient,
  signal?: AbortSignal,
): Promise<DocumentPinPlan> {
  const severities = { ...input.settings.severities };
  for (const id of PIN_RULE_IDS) if ((severities[id] ?? 'off') === 'off') severities[id] = 'info';
  const result = lint({ ...input, settings: { ...input.settings, severities } });
  const plan: DocumentPinPlan = { edits: [], pinned: [], failed: [] };
  const lookups = new Map<string, Promise<PinFacts>>();
  for (const problem of result.problems) {
    const target = pinTargetOf(problem);
    if (!target) continue;
    const line = problem.range.start.line;
    const key = `${wantsVersion(target.strategy) ? 'version' : 'digest'}:${target.reference}`;
    let lookup = lookups.get(key);
    if (!lookup) {
      lookup = resolvePinFacts(client, target, signal);
      lookups.set(key, lookup);
    }
    try {
      const rewrite = rewriteFor(target, await lookup);
      if ('reason' in rewrite) {
        plan.failed.push({ reference: target.reference, line, reason: rewrite.reason });
        continue;
      }
      plan.edits.push({ range: rewrite.range, newText: rewrite.newText });
      plan.pinned.push({ reference: target.reference, line, newText: rewrite.newText });
    } catch (error) {
      plan.failed.push({ reference: target.reference, line, reason: describeFailure(error) });
    }
  }
  return plan;
}
