import type { Connection } from 'vscode-languageserver/node';
import type { Preset, Severity } from '../engine/types';
import { PRESETS, SEVERITIES } from '../config/presets';
import { RULE_IDS } from '../rules';
import { isTimeout } from '../net/deadline';

/** The `driftguard.*` VS Code settings the server reads (resource scope). */
export interface EditorSettings {
  enable: boolean;
  /** `driftguard.preset`: used where no `.driftguard.yaml` says `extends` (unset: recommended). */
  preset?: Preset;
  rules: Record<string, Severity>;
  scanExclude: string[];
  registry: RegistrySettings;
  /**
   * `driftguard.packages.mirrors`: archive and index URLs by key. The setting has application
   * scope, so VS Code takes it from the user's settings only, never from a workspace's.
   */
  packageMirrors: Record<string, string>;
}

/** `driftguard.registry.*` plus VS Code's `http.proxy`. */
export interface RegistrySettings {
  enable: boolean;
  timeoutMs: number;
  insecure: string[];
  platform?: string;
  caFile?: string;
  proxy?: string;
}

export const DEFAULT_REGISTRY_SETTINGS: RegistrySettings = { enable: true, timeoutMs: 10000, insecure: [] };
export const DEFAULT_EDITOR_SETTINGS: EditorSettings = {
  enable: true,
  rules: {},
  scanExclude: [],
  registry: DEFAULT_REGISTRY_SETTINGS,
  packageMirrors: {},
};

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
      entry = this.connection.workspace
        .getConfiguration([
          { scopeUri: uri, section: 'driftguard' },
          { scopeUri: uri, section: 'http' },
        ])
        .then(
          ([driftguard, http]: unknown[]) => sanitize(driftguard, http),
          () => DEFAULT_EDITOR_SETTINGS,
        );
      this.cache.set(uri, entry);
    }
    return entry;
  }
}

function sanitize(raw: unknown, http: unknown): EditorSettings {
  const value = (raw ?? {}) as {
    enable?: unknown;
    preset?: unknown;
    rules?: unknown;
    scan?: { exclude?: unknown };
    registry?: Record<string, unknown>;
    packages?: { mirrors?: unknown };
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
  const r = value.registry ?? {};
  const registry: RegistrySettings = {
    enable: r.enable !== false,
    timeoutMs: isTimeout(r.timeout) ? r.timeout : DEFAULT_REGISTRY_SETTINGS.timeoutMs,
    insecure: Array.isArray(r.insecure) ? r.insecure.filter((s): s is string => typeof s === 'string') : [],
  };
  if (typeof r.platform === 'string' && r.platform !== '') registry.platform = r.platform;
  if (typeof r.caFile === 'string' && r.caFile !== '') registry.caFile = r.caFile;
  const proxy = (http as { proxy?: unknown } | null)?.proxy;
  if (typeof proxy === 'string' && proxy !== '') registry.proxy = proxy;
  const packageMirrors: Record<string, string> = {};
  const mirrors = value.packages?.mirrors;
  if (mirrors && typeof mirrors === 'object')
    for (const [key, url] of Object.entries(mirrors as Record<string, unknown>))
      if (typeof url === 'string' && url !== '') packageMirrors[key] = url;
  const preset = PRESETS.includes(value.preset as Preset) ? { preset: value.preset as Preset } : {};
  return { enable: value.enable !== false, ...preset, rules, scanExclude: exclude, registry, packageMirrors };
}
