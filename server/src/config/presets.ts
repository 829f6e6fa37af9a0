import type { Preset, Severity } from '../engine/types';
import { RULES } from '../rules';

export const SEVERITIES: readonly Severity[] = ['off', 'hint', 'info', 'warning', 'error'];
export const PRESETS: readonly Preset[] = ['recommended', 'strict'];

/** What the user (never a repository) decided for this run; see net/userSettings.ts. */
export interface UserChoices {
  /** Rules that need the network may run (VS Code `driftguard.online`, CLI `--online`). */
  online: boolean;
}

/** Severity of a network rule with online checks on, unless the config or settings say otherwise. */
const ONLINE_DEFAULT: Severity = 'warning';

/**
 * Severity of every implemented rule under a preset, then the overrides (config file, editor
 * settings) applied in order. A rule that needs the network (`meta.network`) is off unless the
 * user turned online checks on — no preset, config file or workspace setting can make a
 * repository's reader send requests; with online checks on it runs at what the overrides say,
 * or `warning`.
 */
export function severitiesForUser(
  preset: Preset,
  user: UserChoices,
  ...overrides: Array<Readonly<Record<string, Severity>> | undefined>
): Record<string, Severity> {
  const severities: Record<string, Severity> = {};
  for (const rule of RULES) severities[rule.meta.id] = rule.meta.network ? ONLINE_DEFAULT : rule.meta.severity[preset];
  for (const override of overrides) if (override) Object.assign(severities, override);
  for (const rule of RULES) if (rule.meta.network && !user.online) severities[rule.meta.id] = 'off';
  return severities;
}

/** {@link severitiesForUser} without online checks: every rule that needs the network is off. */
export function severitiesFor(
  preset: Preset,
  ...overrides: Array<Readonly<Record<string, Severity>> | undefined>
): Record<string, Severity> {
  return severitiesForUser(preset, { online: false }, ...overrides);
}
