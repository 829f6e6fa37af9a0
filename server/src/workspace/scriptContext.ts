import * as path from 'node:path';
import type { ExecutionContext } from '../engine/types';
import { hasContainerShebang } from '../kinds/shell';
import { covers, runsAtContainerStart, ScriptIndex } from './buildScriptIndex';

/** Where a shell script runs, as the engine is told it. */
export interface ScriptContext {
  shellContext: ExecutionContext;
  /** Set for live scripts that run inside containers of an image (at start or on demand). */
  scriptRole?: 'entrypoint';
}

/** What a host knows about one script besides the workspace index. */
export interface ScriptFacts {
  /** Absolute path. */
  path: string;
  /** First line of the script (its shebang). */
  firstLine: string;
  /** The script matches a `buildScripts` glob of its config file. */
  configuredBuildScript: boolean;
  /** The script's text, read for signs of where it runs (its output addressed to a CI runner). */
  text?: string;
}

/**
 * Folders whose scripts CI services run on their runners: GitHub Actions (`.github`), GitLab
 * (`.gitlab`), CircleCI (`.circleci`), Buildkite (`.buildkite`), and the conventional `ci` / `.ci`.
 * A runner is discarded after the job: installing there patches no live machine.
 */
const CI_FOLDERS = new Set(['.github', '.gitlab', '.circleci', '.buildkite', 'ci', '.ci']);

/**
 * Folders of test suites (`test`, `tests`, `.test`, `e2e`, `__tests__`, `testdata`): their scripts run
 * where tests run — a CI runner, a container or VM started for the test, a developer's checkout — never
 * as a step that provisions a live machine. What they do to other machines is still reported.
 */
const TEST_FOLDERS = new Set(['test', 'tests', '.test', '.tests', 'e2e', '__tests__', 'testdata']);

/**
 * How a script runs, strongest evidence first:
 * 1. `build`: a Dockerfile RUNs it, an image-build template runs it, or `buildScripts` says so;
 * 2. in containers (`live`, role `entrypoint`): a Dockerfile names it in ENTRYPOINT/CMD, copies it
 *    into a start-up folder or into a shipped image without running it at build, or its shebang is
 *    s6-overlay's `with-contenv`;
 * 3. `build`: copied only into builder stages;
 * 4. `ephemeral`: CI runners, test machines and throwaway containers — scripts in CI or test
 *    folders (below a scan or repository root), scripts that talk to a CI runner (`talksToCiRunner`),
 *    scripts CI steps or `docker run --rm` run;
 * 5. otherwise `live` on the host that runs it.
 */
export function scriptContextOf(
  facts: ScriptFacts,
  index: ScriptIndex | undefined,
  roots: readonly string[] = [],
): ScriptContext {
  const file = facts.path;
  if (facts.configuredBuildScript || index?.build.has(file)) return { shellContext: 'build' };
  if (
    (index && (runsAtContainerStart(index, file) || covers(index.image, file))) ||
    hasContainerShebang(facts.firstLine)
  )
    return { shellContext: 'live', scriptRole: 'entrypoint' };
  if (index && covers(index.builder, file)) return { shellContext: 'build' };
  if (
    index?.ephemeral.has(file) ||
    inEphemeralFolder(file, roots) ||
    (facts.text !== undefined && talksToCiRunner(facts.text))
  )
    return { shellContext: 'ephemeral' };
  return { shellContext: 'live' };
}

/** Whether a folder between one of the roots and the file is a CI or a test folder. */
export function inEphemeralFolder(file: string, roots: readonly string[]): boolean {
  for (const root of roots) {
    const relative = path.relative(root, file);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) continue;
    const folders = relative.split(path.sep).slice(0, -1);
    if (folders.some((f) => CI_FOLDERS.has(f) || TEST_FOLDERS.has(f))) return true;
  }
  return false;
}

/**
 * A command line that writes GitHub Actions workflow commands (`echo "::group::Build"`,
 * `::error file=…::`, `::add-mask::`) or appends to the files a runner reads after a step
 * (`>> "$GITHUB_OUTPUT"`, `$GITHUB_ENV`, `$GITHUB_PATH`, `$GITHUB_STEP_SUMMARY`, `$GITHUB_STATE`).
 * Reading `$GITHUB_ACTIONS` is not enough: scripts that also run elsewhere test it.
 */
const CI_RUNNER_OUTPUT = new RegExp(
  String.raw`(?:^\s*|[;&|({]\s*|\b(?:then|do|else)\s+)(?:echo|printf)\b[^#\n]*?["']?::` +
    String.raw`(?:group|endgroup|error|warning|notice|debug|add-mask|set-output|stop-commands)\b` +
    String.raw`|>>?\s*["']?\$\{?GITHUB_(?:OUTPUT|ENV|PATH|STEP_SUMMARY|STATE)\b`,
  'm',
);
/** What every match of CI_RUNNER_OUTPUT holds. */
const CI_RUNNER_MARKERS = ['::', 'GITHUB_'];

/**
 * Whether a script addresses its output to a CI runner, so it is written to run in a CI job (on the
 * runner or in a container the job starts and discards) wherever the file sits. Comment lines do
 * not count.
 */
export function talksToCiRunner(text: string): boolean {
  // Each alternative of CI_RUNNER_OUTPUT spells out `::` or `GITHUB_`, so only the lines holding one
  // can match: they are found with indexOf and tested alone (the editor asks at every keystroke;
  // splitting a 3,000-line script into lines to test each took about 0.4 ms).
  for (const marker of CI_RUNNER_MARKERS) {
    for (let at = text.indexOf(marker); at !== -1;) {
      const end = text.indexOf('\n', at);
      const line = text.slice(text.lastIndexOf('\n', at) + 1, end === -1 ? text.length : end);
      if (!/^\s*#/.test(line) && CI_RUNNER_OUTPUT.test(line)) return true;
      at = end === -1 ? -1 : text.indexOf(marker, end);
    }
  }
  return false;
}
