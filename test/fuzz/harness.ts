import type { FileKind, Fix, Problem } from '../../server/src/engine/types';
import type { LintInput } from '../../server/src/engine/settings';
import type { LintResult } from '../../server/src/engine/lint';
import type { DocumentModel } from '../../server/src/engine/documentModel';
import { ignoreFixes } from '../../server/src/engine/ignoreFixes';
import { applyEdits } from '../../server/src/engine/fixes';
import { decodeSource } from '../../server/src/workspace/readSource';
import { severitiesFor } from '../../server/src/config/presets';
import { startTestEngine, testEngine } from '../helpers/engine';

/** A path each kind's detection claims, for fuzzed documents of that kind (the compiler asks for a new kind's). */
export const FUZZ_PATHS: Record<FileKind, string> = {
  dockerfile: 'Dockerfile',
  compose: 'compose.yaml',
  shell: 'script.sh',
  workflow: '.github/workflows/ci.yml',
  action: 'action.yml',
  'gitlab-ci': '.gitlab-ci.yml',
  devcontainer: '.devcontainer/devcontainer.json',
};

/** Every rule on (the strict preset), so every rule's code runs. */
export const STRICT = { severities: severitiesFor('strict'), imagesAllow: [] as string[] };

/** Builds the engine, as every host does before linting. */
export async function initEngine(): Promise<void> {
  await startTestEngine();
}

/** Time budget of the issue: 50 ms per 100 KB (at least 50 ms). */
export function budgetMs(length: number): number {
  return 50 * Math.max(1, length / (100 * 1024));
}

export interface EngineFailure {
  what: 'throw' | 'internal-error' | 'slow' | 'fix-throw' | 'fix-internal-error';
  detail: string;
}

export interface EngineCheck {
  failures: EngineFailure[];
  skipped?: string;
  ms: number;
  problems: number;
}

/**
 * Lints and measures the CPU time the process spent on it. Wall-clock time would also count the time
 * other processes held the cores (on a busy two-core CI machine several times the lint itself), so a
 * budget on it fails when the machine is busy, not when the engine is slow.
 */
function timedLint(input: LintInput): { result?: LintResult; error?: unknown; ms: number } {
  const started = process.cpuUsage();
  const elapsedMs = (): number => {
    const used = process.cpuUsage(started);
    return (used.user + used.system) / 1000;
  };
  try {
    const result = testEngine().lint(input);
    return { result, ms: elapsedMs() };
  } catch (error) {
    return { error, ms: elapsedMs() };
  }
}

const describe = (error: unknown): string =>
  error instanceof Error
    ? `${error.message}\n${(error.stack ?? '').split('\n').slice(1, 6).join('\n')}`
    : String(error);

/** The edits a host applies for a fix (plain edits when the fix is a snippet). */
export function fixEdits(fix: Fix): Fix['edits'] {
  return fix.snippet ? (fix.plainEdits ?? []) : fix.edits;
}

/** Rule fixes and the ignore fixes an editor offers for a problem. */
export function offeredFixes(model: DocumentModel, problem: Problem): Fix[] {
  return [...problem.fixes, ...ignoreFixes(model, problem)].filter((f) => fixEdits(f).length > 0);
}

/**
 * Bytes through the host decode path, then the engine: no throw, no internal error, within the
 * time budget in CPU time (a slow run is repeated, best of 3, to rule out a GC pause), and every offered fix applies
 * and re-lints cleanly.
 */
export function checkEngine(
  bytes: Uint8Array,
  kind: FileKind,
  options: {
    uri?: string;
    shellContext?: 'build' | 'live';
    dotenv?: string;
    fixes?: boolean;
    budgetFactor?: number;
  } = {},
): EngineCheck {
  const failures: EngineFailure[] = [];
  const read = decodeSource(bytes);
  if ('skipped' in read) return { failures, skipped: read.skipped, ms: 0, problems: 0 };
  const input: LintInput = {
    uri: options.uri ?? `file:///fuzz/${FUZZ_PATHS[kind]}`,
    text: read.text,
    kind,
    settings: STRICT,
    ...(options.shellContext ? { shellContext: options.shellContext } : {}),
    ...(options.dotenv !== undefined ? { dotenv: options.dotenv } : {}),
  };
  const budget = budgetMs(read.text.length) * (options.budgetFactor ?? 1);
  let run = timedLint(input);
  // A run over budget is repeated (best of 3) so a GC pause is not reported.
  for (let attempt = 0; attempt < 2 && !run.error && run.ms > budget; attempt++) {
    const again = timedLint(input);
    if (again.ms < run.ms) run = again;
  }
  if (run.error) return { failures: [{ what: 'throw', detail: describe(run.error) }], ms: run.ms, problems: 0 };
  const result = run.result!;
  if (run.ms > budget)
    failures.push({
      what: 'slow',
      detail: `${run.ms.toFixed(0)} ms for ${(read.text.length / 1024).toFixed(0)} KB (budget ${budget.toFixed(0)} ms)`,
    });
  for (const e of result.internalErrors) failures.push({ what: 'internal-error', detail: e });
  if (options.fixes !== false && !result.skipped && read.text.length < 256 * 1024) {
    const model = result.model;
    for (const problem of result.problems.slice(0, 12)) {
      for (const fix of offeredFixes(model, problem)) {
        let text: string;
        try {
          text = applyEdits(read.text, fixEdits(fix));
        } catch (error) {
          failures.push({ what: 'fix-throw', detail: `${fix.title}: ${describe(error)}` });
          continue;
        }
        const after = timedLint({ ...input, text });
        if (after.error) failures.push({ what: 'fix-throw', detail: `${fix.title}: ${describe(after.error)}` });
        else
          for (const e of after.result!.internalErrors)
            failures.push({ what: 'fix-internal-error', detail: `${fix.title}: ${e}` });
      }
    }
  }
  return {
    failures,
    ...(result.skipped ? { skipped: result.skipped } : {}),
    ms: run.ms,
    problems: result.problems.length,
  };
}
