import type { Connection } from 'vscode-languageserver/node';
import type { Preset, Severity } from '../engine/types';
import { PRESETS, SEVERITIES } from '../config/presets';
import { RULE_IDS } from '../rules';
import type { RegistryUserSettings } from '../net/userSettings';

/**
 * The `driftguard.*` VS Code settings the server pulls with `workspace/configuration` (resource
 * scope: a repository may commit them in workspace settings). Nothing here enables the network or
 * points it anywhere: that comes through the user-only channel (net/userSettings.ts).
 */
export interface EditorSettings {
  enable: boolean;
  /** `driftguard.preset`: used where no `.driftguard.yaml` says `extends` (unset: recommended). */
  preset?: Preset;
  rules: Record<string, Severity>;
  scanExclude: string[];
  /** `driftguard.registry.platform`: which platform's manifest to pin (not where to connect). */
  platform?: string;
}

/** What the registry service works with: the user's registry settings and the resource's platform. */
export type RegistrySettings = RegistryUserSettings & { platform?: string };

export const DEFAULT_EDITOR_SETTINGS: EditorSettings = { enable: true, rules: {}, scanExclude: [] };

/** Pulls settings per resource with `workspace/configuration`, cached until the client says they changed. */
export class EditorSettingsStore {
  private readonly cache = new Map<string, Promise<EditorSettings>>();
  constructor(
    private readonly connection: Connection,
    private readonly supported: () => boolean,
  ) {}

  clear(): void {
    this.cache.clear();
  }

  get(uri: string): Promise<EditorSettings> {
    if (!this.supported()) return Promise.resolve(DEFAULT_EDITOR_SETTINGS);
    let entry = this.cache.get(uri);
    if (!entry) {
      entry = this.connection.workspace.getConfiguration([{ scopeUri: uri, section: 'driftguard' }]).then(
        ([driftguard]: unknown[]) => sanitize(driftguard),
        () => DEFAULT_EDITOR_SETTINGS,
      );
      this.cache.set(uri, entry);
    }
    return entry;
  }
}

function sanitize(raw: unknown): EditorSettings {
  const value = (raw ?? {}) as {
    enable?: unknown;
    preset?: unknown;
    rules?: unknown;
    scan?: { exclude?: unknown };
    registry?: { platform?: unknown };
  };
  const rules: Record<string, Severity> = {};
  if (value.rules && typeof value.rules === 'object') {
    for (const [id, sev] of Object.entries(value.rules as Record<string, unknown>)) {
      if (RULE_IDS.has(id) && SEVERITIES.includes(sev as Severity)) rules[id] = sev as Severity;
    }
  }
  const exclude = Array.isArray(value.scan?.exclude)
    ? (value.scan.exclude as unknown[]).filter((s): s is string => typeof s === 'string')
    : [];
  const platform = value.registry?.platform;
  return {
    enable: value.enable !== false,
    ...(PRESETS.includes(value.preset as Preset) ? { preset: value.preset as Preset } : {}),
    rules,
    scanExclude: exclude,
    ...(typeof platform === 'string' && platform !== '' ? { platform } : {}),
  };
}
