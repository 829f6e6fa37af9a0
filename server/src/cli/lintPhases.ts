import * as path from 'node:path';
import type { HostOverrides, SettingsResolver } from '../workspace/settingsResolver';
import type { Engine } from '../engine/engine';
import { addScriptCopies } from '../workspace/scriptCopies';
import { throwawayRunsBy } from '../workspace/throwawayRuns';
import { addGeneratorCopies, copiesMatter, GeneratorCopyFinder } from '../workspace/generatorCopies';
import type { ScriptText } from '../workspace/scriptCopies';
import { addScriptUse, addTemplateScripts, emptyScriptIndex, mergeScriptIndex } from '../workspace/buildScriptIndex';
import type { BuildContexts } from '../workspace/buildContexts';
import { addBakeDefinitions, addDefinitionsOf } from '../workspace/buildDefinitions';
import { CurrentModel } from '../workspace/currentModel';
import type { DocumentModel } from '../engine/documentModel';
import { SourcedVariablesReader } from '../workspace/sourcedVariables';
import { lintTaskAfterPasses, LintTask, PhaseContext, TaskResult } from './lintTask';
import type { LintPool } from './parallel';
import type { NetworkFacts } from './onlineFacts';
import type { BashParser } from '../shell/parser';
import { PinnedChunks, SharedChunks, taskCost } from './chunks';

/** What the scan knows of the workspace besides the files it lints. */
export interface Workspace {
  /** Image-build templates (Packer, dev container features) found by the walk. */
  templates: readonly string[];
  /** Scan and repository roots. */
  roots: string[];
  /** Build contexts of the Dockerfiles, with every file the walk saw. */
  contexts: BuildContexts;
  /** Bake files found by the walk (read for the builds they define). */
  bakeFiles: readonly string[];
  /** The scanned folders (links resolved): support files read here may not link outside them. */
  within?: readonly string[];
}

export interface PhasePlan {
  /** The engine of this thread (workers build their own). */
  engine: Engine;
  /** Threads in use, main thread included; the pool holds the other ones (none when 1). */
  threads: number;
  pool?: LintPool;
  /** Tests: the thread (0 = main) that lints each file, instead of a shared queue. */
  threadFor?: (filePath: string) => number;
  /** The editor's rule settings, over each file's config, on every thread. */
  overrides?: HostOverrides;
  /** Progress and cancellation, for a host that shows the one and offers the other. */
  watch?: PhaseWatch;
  /** With online checks: the facts the network rules read. */
  network?: NetworkFacts;
  /**
   * Characters of script text whose syntax trees the passes before linting may hold for the scripts'
   * own lints when every lint runs on this thread (see `HELD_TREES_TEXT`). None: nothing is held, as
   * a long-lived host wants (the trees' wasm memory is never given back).
   */
  heldTreesText?: number;
}

export interface PhaseWatch {
  /** Called as each task's result lands, in any order. */
  onResult?: (task: LintTask, result: TaskResult) => void;
  /** Once true, tasks not yet handed out are not linted (their results stay undefined). */
  isCancelled?: () => boolean;
}

/**
 * Tasks linted on the main thread between yields to the event loop when the host watches a phase
 * (the language server), so edits and cancellation are served during a big scan.
 */
const YIELD_EVERY = 25;

/**
 * Characters of script text whose syntax trees the passes before linting hold for the scripts' own
 * lints, on one thread (see `lintPhases`). On the corpus the passes hold 336 trees of 1.6 MB of
 * scripts (those that name a build, copy scripts or run them in throwaway containers). The trees
 * take wasm memory, which is not given back (the corpus scan's peak RSS: about 35 MB more), so the
 * bound keeps a bigger workspace from holding every tree.
 */
export const HELD_TREES_TEXT = 2 * 1024 * 1024;

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
  onSkipped: (filePath: string, reason: string) => void,
  plan: PhasePlan,
): Promise<TaskResult[]> {
  // On one thread, a script the passes before linting analyse (for the builds it names, the scripts
  // it copies, the ones it runs in containers) is parsed again by its own lint, with other inputs
  // (its place, what it sources), so only the parse can be shared: its tree is held for that lint,
  // if the host allows (`heldTreesText`). The corpus as a folder: tree-sitter parses 5.3 MB instead
  // of 7.0 MB. Workers parse their own files.
  const holding =
    plan.pool || !plan.heldTreesText ? undefined : { parser: plan.engine.shellParser, text: plan.heldTreesText };
  try {
    return await lintPhasesHolding(holding, runners, others, workspace, resolver, onSkipped, plan);
  } finally {
    holding?.parser.dropHeld();
  }
}

/** `lintPhases`, with the parser whose trees the passes hold and how much text they may hold, if any. */
async function lintPhasesHolding(
  holding: { parser: BashParser; text: number } | undefined,
  ...[runners, others, workspace, resolver, onSkipped, plan]: Parameters<typeof lintPhases>
): Promise<TaskResult[]> {
  // Builds that Compose, bake files and scripts define tell where each Dockerfile's context is;
  // scripts also tell which scripts they run in throwaway containers and which they copy. One visit
  // per file serves all three, on one model of it.
  const scripts = others
    .filter((t) => plan.engine.kinds.get(t.kind).runByOtherFiles)
    .map((t) => ({ path: path.resolve(t.path), text: t.text }));
  const scriptOf = new Map(scripts.map((script) => [script.path, script]));
  const knownScripts = new Set(scriptOf.keys());
  const throwawayRuns = emptyScriptIndex();
  const copies = new GeneratorCopyFinder(scripts);
  const models = new CurrentModel(plan.engine);
  // On one thread every lint runs here, so a parse the passes made of a file whose kind can read
  // it again (a Compose file, for the builds it defines) is kept for the file's own lint instead
  // of being made twice. It is kept until that lint: on the corpus, 175 Compose files name a
  // build, about 6 MB of parses held against 0.6 s of parsing saved. Workers parse their own files.
  const parsedBefore = plan.pool ? undefined : new Map<string, DocumentModel>();
  // The builds files define are read only for the files that run scripts (their named contexts and
  // where their copied files are): with none to lint, no definition can change a result, and reading
  // them analysed each script that names a build (0.6 s of the 5.5 s CPU of the corpus's scripts
  // scanned as a file list, as a pre-commit hook scans changed scripts).
  const definitionsMatter = runners.length > 0;
  // A generator's copies matter only when a Dockerfile runs a script in containers, which is known
  // after the Dockerfiles' lint (`copiesMatter`). A generator another pass analysed is visited now,
  // from that analysis; the others then, only if they matter (the corpus's scripts as a file list:
  // 0.7 s of analyses skipped).
  const generatorsLeft: ScriptText[] = [];
  holding?.parser.holdTrees(holding.text);
  for (const task of [...runners, ...others]) {
    if (definitionsMatter) addDefinitionsOf(workspace.contexts, plan.engine, task, models);
    if (parsedBefore && plan.engine.kinds.get(task.kind).reread) {
      const model = models.modelOf(task);
      if (model) parsedBefore.set(task.path, model);
    }
    const script = plan.engine.kinds.get(task.kind).runByOtherFiles ? scriptOf.get(path.resolve(task.path)) : undefined;
    if (!script) continue;
    for (const run of throwawayRunsBy(script, models, knownScripts, workspace.roots)) throwawayRuns.ephemeral.add(run);
    if (!GeneratorCopyFinder.mayCopy(script)) continue;
    if (models.modelOf(task)) copies.visit(script, models);
    else generatorsLeft.push(script);
  }
  holding?.parser.stopHolding();
  await addBakeDefinitions(workspace.contexts, workspace.bakeFiles, {
    ...(workspace.within ? { within: workspace.within } : {}),
    onSkipped,
  });
  const withContexts = runners.map((task) => {
    const names = workspace.contexts.namedContextsOf(path.resolve(task.path));
    return names.length > 0 ? { ...task, namedContexts: names } : task;
  });
  const network = plan.network ? { network: plan.network } : {};
  const runnerResults = await lintPhase(
    withContexts,
    { wantScripts: others.length > 0, ...network },
    resolver,
    plan,
    parsedBefore,
  );
  if (others.length === 0) return runnerResults;
  const buildScripts = emptyScriptIndex();
  runners.forEach((task, i) =>
    addScriptUse(buildScripts, task.path, runnerResults[i]!.scripts!, workspace.contexts.locate),
  );
  await addTemplateScripts(buildScripts, workspace.templates, onSkipped);
  mergeScriptIndex(buildScripts, throwawayRuns);
  if (copiesMatter(buildScripts)) {
    holding?.parser.holdTrees(holding.text);
    for (const script of generatorsLeft) copies.visit(script, models);
    holding?.parser.stopHolding();
  }
  addGeneratorCopies(buildScripts, copies.copies(), workspace.roots);
  addScriptCopies(buildScripts, scripts, workspace.roots);
  const phase = { buildScripts, roots: workspace.roots, wantScripts: false, ...network };
  const sourced = withSourced(others, plan.engine, workspace);
  // On one thread, a script's sourced files are read right before its lint: the parse of the script
  // for what it sources is then the parser's last one (unless a sourced file not read before came
  // after it), and the lint's parse of the same text is a copy of the kept tree (see `BashParser`).
  // Read for every script first, each of those parses was made twice.
  const otherResults = await lintPhase(others, phase, resolver, plan, parsedBefore, sourced);
  return [...runnerResults, ...otherResults];
}

/**
 * For tasks of one phase: a task, given, for a script, the variables of the files it sources (see
 * `SourcedVariablesReader`): the phase's own texts first, other files inside the scanned folders read
 * from disk. The result does not depend on the order tasks are given in.
 */
export function withSourced(
  tasks: readonly LintTask[],
  engine: Engine,
  workspace: Pick<Workspace, 'roots' | 'within'>,
): (task: LintTask) => LintTask {
  const texts = new Map(tasks.map((t) => [path.resolve(t.path), t.text]));
  const reader = new SourcedVariablesReader(engine, {
    within: workspace.within ?? workspace.roots,
    roots: workspace.roots,
    known: (p) => texts.get(p),
  });
  return (task) => {
    const { variables } = reader.variablesOf(task);
    return variables ? { ...task, sourcedVariables: variables } : task;
  };
}

/**
 * Lints one phase's tasks on every thread of the plan; resolves with their results in task order. A
 * host that reads its files a batch at a time (the language server) runs each batch as a phase of
 * its own, with the same context: the results are the same. `parsedBefore`: models of files read
 * on this thread before linting, by path, each handed to the file's lint here and then dropped.
 * `prepare`: what a task is completed with right before its lint, on the main thread (a task is
 * posted to a worker complete).
 */
export async function lintPhase(
  tasks: readonly LintTask[],
  phase: Omit<PhaseContext, 'overrides'>,
  resolver: SettingsResolver,
  plan: PhasePlan,
  parsedBefore?: Map<string, DocumentModel>,
  prepare?: (task: LintTask) => LintTask,
): Promise<TaskResult[]> {
  const context: PhaseContext = { ...phase, ...(plan.overrides ? { overrides: plan.overrides } : {}) };
  const lateTasks = plan.pool ? undefined : prepare;
  const lintHere = (task: LintTask) =>
    lintTaskAfterPasses(plan.engine, lateTasks ? lateTasks(task) : task, resolver, context, parsedBefore);
  const watch = plan.watch;
  if (!plan.pool) return watch ? lintWatched(tasks, lintHere, watch) : tasks.map(lintHere);
  const source = plan.threadFor
    ? new PinnedChunks(
        tasks.map((t) => plan.threadFor!(t.path)),
        plan.threads,
      )
    : new SharedChunks(
        tasks.map((t) => taskCost(t.text.length)),
        plan.threads,
      );
  return plan.pool.run(
    tasks,
    context,
    source,
    lintHere,
    {
      ...(watch?.onResult ? { onResult: (i: number, result: TaskResult) => watch.onResult!(tasks[i]!, result) } : {}),
      ...(watch?.isCancelled ? { isCancelled: watch.isCancelled } : {}),
    },
    prepare,
  );
}

async function lintWatched(
  tasks: readonly LintTask[],
  lintHere: (task: LintTask) => TaskResult,
  watch: PhaseWatch,
): Promise<TaskResult[]> {
  const results = new Array<TaskResult>(tasks.length);
  for (const [i, task] of tasks.entries()) {
    if (i > 0 && i % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    if (watch.isCancelled?.()) break;
    const result = lintHere(task);
    results[i] = result;
    watch.onResult?.(task, result);
  }
  return results;
}
