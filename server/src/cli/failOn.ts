import type { Severity } from '../engine/types';
import type { ScanOutcome } from './scan';

/** The lowest severity that fails a run (exit code 1); `none`: findings never fail it. */
export type FailOn = 'error' | 'warning' | 'info' | 'none';
export const FAIL_ON_VALUES: readonly FailOn[] = ['error', 'warning', 'info', 'none'];

const RANK: Record<Severity, number> = { off: 0, hint: 1, info: 2, warning: 3, error: 4 };

export function isFailOn(value: string): value is FailOn {
  return (FAIL_ON_VALUES as readonly string[]).includes(value);
}

/** Whether any finding is at or above `failOn`. */
export function failsOn(outcome: ScanOutcome, failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  const threshold = RANK[failOn];
  return outcome.files.some((f) => f.problems.some((p) => RANK[p.severity] >= threshold));
}
