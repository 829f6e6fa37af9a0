import type { SettingsResolver } from '../workspace/settingsResolver';
import { addScriptUse, addTemplateScripts, emptyScriptIndex } from '../workspace/buildScriptIndex';
import type { BuildContexts } from '../workspace/buildContexts';
import { lintTask, LintTask, PhaseContext, TaskResult } from './lintTask';
import type { LintPool } from './parallel';
import { PinnedChunks, SharedChunks, taskCost } from './chunks';

/** What the scan knows of the workspace besides the files it lints. */
export interface Workspace {
  /** Image-build templates (Packer, dev container features) found by the walk. */
  templates: readonly string[];
  /** Scan and repository roots. */
  roots: string[];
  /** Build contexts of the Dockerfiles, with every file the walk saw. */
  contexts: BuildContexts;
}

export interface PhasePlan {
  /** Threads in use, main thread included; the pool holds the other ones (none when 1). */
  threads: number;
  pool?: LintPool;
  /** Tests: the thread (0 = main) that lints each file, instead of a shared queue. */
  threadFor?: (filePath: string) => number;
}

/**
 * Lints the files that run scripts (Dockerfiles), then the others with the shell context those files
 * (and image-build templates) give the scripts. Resolves with one result per task, script runners
 * first, in the order given.
 */
export async function lintPhases(
  runners: readonly LintTask[],
  others: readonly LintTask[],
  workspace: Workspace,
  resolver: SettingsResolver,
  plan: PhasePlan,
): Promise<TaskResult[]> {
  const runnerResults = await lintPhase(runners, { wantScripts: others.length > 0 }, resolver, plan);
  if (others.length === 0) return runnerResults;
  const buildScripts = emptyScriptIndex();
  runners.forEach((task, i) =>
    addScriptUse(buildScripts, task.path, runnerResults[i]!.scripts!, workspace.contexts.locate),
  );
  await addTemplateScripts(buildScripts, workspace.templates);
  const phase = { buildScripts, roots: workspace.roots, wantScripts: false };
  return [...runnerResults, ...(await lintPhase(others, phase, resolver, plan))];
}

async function lintPhase(
  tasks: readonly LintTask[],
  context: PhaseContext,
  resolver: SettingsResolver,
  plan: PhasePlan,
): Promise<TaskResult[]> {
  const lintHere = (task: LintTask) => lintTask(task, resolver, context);
  if (!plan.pool) return tasks.map(lintHere);
  const source = plan.threadFor
    ? new PinnedChunks(
        tasks.map((t) => plan.threadFor!(t.path)),
        plan.threads,
      )
    : new SharedChunks(
        tasks.map((t) => taskCost(t.text.length)),
        plan.threads,
      );
  return plan.pool.run(tasks, context, source, lintHere);
}
