import { checkServerUrl } from '../git/smartHttp';

/**
 * The user-only settings channel: settings that point DriftGuard's network access somewhere come
 * from the user and never from the repository being read:
 *
 * - VS Code: settings of `application` scope (VS Code ignores workspace values of those), read by
 *   the client from user scope only and sent as `initializationOptions.userSettings`, then with
 *   `driftguard/didChangeUserSettings` when the user changes them;
 * - other editors: the same `initializationOptions.userSettings` from the user's editor config;
 * - the CLI and runners: the environment (`GITHUB_SERVER_URL`);
 * - tokens: the environment only (`GH_TOKEN` / `GITHUB_TOKEN`).
 *
 * Never `.driftguard.yaml`, `--config`, workspace settings or anything else a repository can commit:
 * a repository that could name the GitHub server could send the user's token to a host of its choice.
 */

export interface UserSettings {
  /**
   * The GitHub server action refs are resolved on (VS Code `driftguard.github.url`, for GitHub
   * Enterprise). Empty: `GITHUB_SERVER_URL` from the environment, else github.com.
   */
  github: { url: string };
}

export function defaultUserSettings(): UserSettings {
  return { github: { url: '' } };
}

/**
 * The wire form clients send: the VS Code setting names under `driftguard.`. Every field is
 * optional; values of the wrong type are dropped with a problem.
 */
export interface UserSettingsWire {
  github?: { url?: unknown };
}

/** Settings from the wire form, defaults for what is absent, and a problem per value ignored. */
export function parseUserSettings(raw: unknown): { settings: UserSettings; problems: string[] } {
  const settings = defaultUserSettings();
  if (raw === undefined || raw === null) return { settings, problems: [] };
  if (!isRecord(raw)) return { settings, problems: ['userSettings must be an object'] };
  const problems: string[] = [];
  const github = isRecord(raw.github) ? raw.github : {};
  if (typeof github.url === 'string' && github.url.trim() !== '') {
    try {
      settings.github.url = checkServerUrl(github.url.trim()).href.replace(/\/+$/, '');
    } catch (error) {
      problems.push(`github.url: ${(error as Error).message}`);
    }
  } else if (github.url !== undefined && github.url !== '') problems.push('github.url must be a string');
  return { settings, problems };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
