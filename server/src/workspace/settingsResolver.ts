import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { EngineSettings } from '../engine/settings';
import type { Preset, Severity } from '../engine/types';
import { ConfigProblem, DriftGuardConfig, emptyConfig, parseConfig } from '../config/configFile';
import { severitiesForUser } from '../config/presets';
import { CONFIG_MAX_BYTES, readTextSync } from './safeRead';
import { relativePosix } from './posixPath';

export const CONFIG_NAMES = ['.driftguard.yaml', '.driftguard.yml'];

/** A config file found on disk, parsed and validated. */
export interface LoadedConfig {
  path: string;
  text: string;
  config: DriftGuardConfig;
  problems: ConfigProblem[];
}

/** What the host adds after the config file: editor rule settings, and the user's own choices. */
export interface HostOverrides {
  /**
   * VS Code `driftguard.rules`, applied after the config file's rules (a workspace may set it, so it
   * cannot enable network rules).
   */
  rules?: Record<string, Severity>;
  /** `driftguard.preset`: the preset where no config file says `extends`. */
  preset?: Preset;
  /** Online checks, from the user only (user settings, CLI `--online`); off when absent. */
  online?: boolean;
}

/**
 * Finds `.driftguard.yaml`/`.yml` from a file's folder upward (stopping at `root` when given) and
 * turns it into engine settings. Files are re-read when their mtime changes; invalid entries are
 * reported and dropped, so the built-in defaults stay in force for them.
 */
export class SettingsResolver {
  private readonly cache = new Map<string, { mtimeMs: number; loaded: LoadedConfig }>();
  private readonly dirCache = new Map<string, string | null>();

  /**
   * @param trustLoadedConfigs the host is told of every config file change (and then makes a new
   *   resolver): a loaded config is used without checking its modification time on each lint.
   * @param within the scanned folders (links resolved): a config found by lookup that is a link is
   *   read only when it points inside them or inside its own folder. The explicit config is the
   *   user's choice and is read wherever it points.
   */
  constructor(
    private readonly root?: string,
    private readonly explicitConfig?: string,
    private readonly trustLoadedConfigs = false,
    private readonly within?: readonly string[],
  ) {}

  configPathFor(filePath: string): string | undefined {
    if (this.explicitConfig) return this.explicitConfig;
    let dir = path.dirname(path.resolve(filePath));
    const visited: string[] = [];
    for (;;) {
      const cached = this.dirCache.get(dir);
      if (cached !== undefined) {
        visited.forEach((d) => this.dirCache.set(d, cached));
        return cached ?? undefined;
      }
      visited.push(dir);
      const found = CONFIG_NAMES.map((n) => path.join(dir, n)).find((p) => isConfigEntry(p));
      if (found) {
        visited.forEach((d) => this.dirCache.set(d, found));
        return found;
      }
      const parent = path.dirname(dir);
      if (parent === dir || (this.root && path.resolve(dir) === path.resolve(this.root))) break;
      dir = parent;
    }
    visited.forEach((d) => this.dirCache.set(d, null));
    return undefined;
  }

  load(configPath: string): LoadedConfig {
    if (this.trustLoadedConfigs) {
      const loaded = this.cache.get(configPath)?.loaded;
      if (loaded) return loaded;
    }
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(configPath);
    } catch {
      /* reported below */
    }
    const hit = this.cache.get(configPath);
    if (hit && stat && hit.mtimeMs === stat.mtimeMs) return hit.loaded;
    const within = configPath === this.explicitConfig ? undefined : this.within;
    const read = readTextSync(configPath, { maxBytes: CONFIG_MAX_BYTES, ...(within ? { within } : {}) });
    const loaded: LoadedConfig =
      'skipped' in read
        ? {
            path: configPath,
            text: '',
            config: emptyConfig(),
            problems: [
              {
                message: `config not read: ${read.skipped}`,
                range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
              },
            ],
          }
        : { path: configPath, text: read.text, ...parseConfig(read.text) };
    this.cache.set(configPath, { mtimeMs: stat?.mtimeMs ?? -1, loaded });
    return loaded;
  }

  configFor(filePath: string): LoadedConfig | undefined {
    const configPath = this.configPathFor(filePath);
    return configPath ? this.load(configPath) : undefined;
  }

  settingsFor(filePath: string, overrides: HostOverrides = {}): EngineSettings {
    const loaded = this.configFor(filePath);
    const preset: Preset = loaded?.config.extends ?? overrides.preset ?? 'recommended';
    return {
      severities: severitiesForUser(
        preset,
        { online: overrides.online === true },
        loaded?.config.rules,
        overrides.rules,
      ),
      imagesAllow: loaded?.config.imagesAllow ?? [],
    };
  }

  /** True when the config's `ignore` globs (relative to the config's folder) match the file. */
  isIgnored(filePath: string): boolean {
    const loaded = this.configFor(filePath);
    return loaded ? matchesGlobs(loaded.config.ignore, path.dirname(loaded.path), filePath) : false;
  }

  /** True when the config's `buildScripts` globs match the file. */
  isBuildScript(filePath: string): boolean {
    const loaded = this.configFor(filePath);
    return loaded ? matchesGlobs(loaded.config.buildScripts, path.dirname(loaded.path), filePath) : false;
  }
}

function matchesGlobs(globs: readonly string[], base: string, filePath: string): boolean {
  if (globs.length === 0) return false;
  const relative = relativePosix(base, path.resolve(filePath));
  if (relative.startsWith('..')) return false;
  return (
    picomatch(globs as string[], { dot: true, matchBase: false })(relative) ||
    globs.some((g) => !g.includes('/') && picomatch(g, { dot: true })(path.basename(filePath)))
  );
}

/**
 * Whether something other than a folder has this name: a FIFO, a device or a link named like a
 * config is still the folder's config, reported when it cannot be read, rather than passed over
 * for a config further up.
 */
function isConfigEntry(p: string): boolean {
  // Most folders have no config: asking without an exception keeps the lookup cheap.
  try {
    const stat = fs.lstatSync(p, { throwIfNoEntry: false });
    return stat !== undefined && !stat.isDirectory();
  } catch {
    return false;
  }
}
