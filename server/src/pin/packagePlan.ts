import type { TextEdit } from '../engine/types';
import type { LintInput } from '../engine/settings';
import type { Engine } from '../engine/engine';
import { packageTargets, ScriptRunner, targetAt } from './packageTargets';
import type { PackagePin, PackagePinner } from './packagePins';

/** One package a pin run pinned or left, by line. */
export interface PackageOutcome {
  line: number;
  package: string;
  /** `curl=7.88.1-10+deb12u12`. */
  newText?: string;
  source?: string;
  drift?: string;
  reason?: string;
}

export interface PackagePinPlan {
  edits: TextEdit[];
  pinned: PackageOutcome[];
  failed: PackageOutcome[];
}

/**
 * Every unpinned package of a document pinned to what its manager would install today. Packages
 * whose finding is ignored stay as they are; the rule counts as enabled even when configured off.
 */
export async function planPackagePins(
  engine: Engine,
  input: LintInput,
  pinner: PackagePinner,
  signal?: AbortSignal,
  runner?: ScriptRunner,
): Promise<PackagePinPlan> {
  const settings = { ...input.settings, severities: { ...input.settings.severities } };
  if ((settings.severities['package-unpinned'] ?? 'off') === 'off') settings.severities['package-unpinned'] = 'info';
  const result = engine.lint({ ...input, settings });
  const all = packageTargets(result.model, runner);
  const targets = result.problems
    .filter((p) => p.ruleId === 'package-unpinned')
    .map((p) => targetAt(all, p.range))
    .filter((t) => t !== undefined);
  return planFrom(await pinner.resolve(targets, signal));
}

export function planFrom(pins: readonly PackagePin[]): PackagePinPlan {
  const plan: PackagePinPlan = { edits: [], pinned: [], failed: [] };
  for (const pin of pins) {
    const line = pin.target.range.start.line;
    if (pin.edit) {
      plan.edits.push(pin.edit);
      plan.pinned.push({
        line,
        package: pin.target.written,
        newText: pin.target.written + pin.edit.newText,
        ...(pin.source ? { source: pin.source } : {}),
        ...(pin.drift ? { drift: pin.drift } : {}),
      });
    } else plan.failed.push({ line, package: pin.target.written, reason: pin.reason ?? 'not resolved' });
  }
  return plan;
}
