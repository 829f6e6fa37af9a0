import type { Connection } from 'vscode-languageserver/node';
import type { Severity } from '../engine/types';
import { SEVERITIES } from '../config/presets';
import { RULE_IDS } from '../rules/catalog';

/** The `driftguard.*` VS Code settings the server reads (resource scope). */
export interface EditorSettings {
  enable: boolean;
  rules: Record<string, Severity>;
  scanExclude: string[];
}

export const DEFAULT_EDITOR_SETTINGS: EditorSettings = { enable: true, rules: {}, scanExclude: [] };

/** Pulls settings per resource with `workspace/configuration`, cached until the client says they changed. */
export class EditorSettingsStore {
  private readonly cache = new Map<string, Promise<EditorSettings>>();
  constructor(private readonly connection: Connection, private readonly supported: () => boolean) {}

  clear(): void {
    this.cache.clear();
  }

  get(uri: string): Promise<EditorSettings> {
    if (!this.supported()) return Promise.resolve(DEFAULT_EDITOR_SETTINGS);
    let entry = this.cache.get(uri);
    if (!entry) {
      entry = this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'driftguard' }).then(sanitize, () => DEFAULT_EDITOR_SETTINGS);
      this.cache.set(uri, entry);
    }
    return entry;
  }
}

function sanitize(raw: unknown): EditorSettings {
  const value = (raw ?? {}) as { enable?: unknown; rules?: unknown; scan?: { exclude?: unknown } };
  const rules: Record<string, Severity> = {};
  if (value.rules && typeof value.rules === 'object') {
    for (const [id, sev] of Object.entries(value.rules as Record<string, unknown>)) {
      if (RULE_IDS.has(id) && SEVERITIES.includes(sev as Severity)) rules[id] = sev as Severity;
    }
  }
  const exclude = Array.isArray(value.scan?.exclude) ? (value.scan!.exclude as unknown[]).filter((s): s is string => typeof s === 'string') : [];
  return { enable: value.enable !== false, rules, scanExclude: exclude };
}
