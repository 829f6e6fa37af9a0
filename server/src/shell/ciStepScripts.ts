import * as path from 'node:path';
import { executedFiles } from './buildScripts';
import type { ShellCommand } from './types';

/** The job's working directory written out: GitHub's `$GITHUB_WORKSPACE`, GitLab's `$CI_PROJECT_DIR`. */
const WORKSPACE_PREFIX = /^\$\{?(?:GITHUB_WORKSPACE|CI_PROJECT_DIR)\}?\//;

/**
 * Files of the repository that CI steps run on the runner (`./scripts/test.sh`, `bash tools/deps.sh`,
 * `. ci/env.sh`, `"$GITHUB_WORKSPACE/scripts/x.sh"`), as `/`-separated paths relative to the job's
 * working directory (the repository root). Only commands placed on the CI runner count: what a step
 * runs over ssh or in a container is not run on the runner. Absolute paths name the runner's own
 * files; programs found on PATH (`make`) and paths with other expansions are not the repository's.
 */
export function ciStepScripts(commands: readonly ShellCommand[]): string[] {
  const found = new Set<string>();
  for (const command of commands) {
    if (command.place !== 'ci-runner') continue;
    for (const word of executedFiles(command.argv)) {
      const value = word.value.replace(WORKSPACE_PREFIX, '');
      if (value.includes('$') || value.startsWith('/') || value.startsWith('EXPR')) continue;
      // A bare name as the program is looked up on PATH; as `sh name` or `. name` it is a file here.
      if (word === command.argv[0] && !value.includes('/')) continue;
      const relative = path.posix.normalize(value);
      if (relative !== '.' && !relative.startsWith('../')) found.add(relative);
    }
  }
  return [...found];
}
