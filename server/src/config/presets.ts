import type { Preset, Severity } from '../engine/types';
import { RULES } from '../rules';

export const SEVERITIES: readonly Severity[] = ['off', 'hint', 'info', 'warning', 'error'];
export const PRESETS: readonly Preset[] = ['recommended', 'strict'];

/** Severity of every implemented rule under a preset, then the overrides applied in order. */
export function severitiesFor(
  preset: Preset,
  ...overrides: Array<Readonly<Record<string, Severity>> | undefined>
): Record<string, Severity> {
  const severities: Record<string, Severity> = {};
  for (const rule of RULES) severities[rule.meta.id] = rule.meta.severity[preset];
  for (const override of overrides) if (override) Object.assign(severities, override);
  return severities;
}
