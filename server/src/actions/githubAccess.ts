/** The public GitHub, used when nothing else is configured. */
export const DEFAULT_GITHUB_URL = 'https://github.com';

/**
 * Which git server action refs are resolved against, and the token for it. Only the user sets
 * these — the environment of the process (`GITHUB_SERVER_URL`, which Actions runners set, and
 * `GITHUB_TOKEN`/`GH_TOKEN`) or a user-scope editor setting — never a repository's files, so a
 * repository cannot send the user's token to a server of its choosing.
 */
export interface GitHubAccess {
  serverUrl: string;
  token?: string;
}

/** `userUrl` (a user-scope setting), else `GITHUB_SERVER_URL`, else github.com; the token from the environment. */
export function githubAccess(env: NodeJS.ProcessEnv, userUrl?: string): GitHubAccess {
  const serverUrl = userUrl?.trim() || env.GITHUB_SERVER_URL?.trim() || DEFAULT_GITHUB_URL;
  const token = env.GITHUB_TOKEN?.trim() || env.GH_TOKEN?.trim();
  return token ? { serverUrl, token } : { serverUrl };
}
