import type { FileKind, Problem } from '../engine/types';
import { lintFile } from '../workspace/lintFile';
import type { Engine } from '../engine/engine';
import type { DocumentModel } from '../engine/documentModel';
import type { HostOverrides, SettingsResolver } from '../workspace/settingsResolver';
import type { ScriptIndex, ScriptUse } from '../workspace/buildScriptIndex';
import type { NetworkFacts } from './onlineFacts';
import type { SourcedVariables } from '../shell/commandVariables';

/** One read file to lint. Plain data: it is posted to scan workers. */
export interface LintTask {
  path: string;
  kind: FileKind;
  text: string;
  /** For kinds that read a `.env`: its text as the main thread read it (null: none, or not read). */
  dotenv?: string | null;
  /** Dockerfiles: the named build contexts the workspace's builds give it (see `LintInput.namedContexts`). */
  namedContexts?: string[];
  /** Shell scripts: the variables the files it sources set (see `LintInput.sourcedVariables`). */
  sourcedVariables?: SourcedVariables;
}

/** What every task of one scan phase is linted with. Plain data (Sets clone): posted to workers. */
export interface PhaseContext {
  /** Shell context of scripts; absent while the Dockerfiles themselves are linted. */
  buildScripts?: ScriptIndex;
  /** Scan and repository roots, below which CI folders are recognised. */
  roots?: string[];
  /** Also list the scripts each file copies in and runs (needed when other files follow). */
  wantScripts: boolean;
  /** The editor's rule settings, over each file's config (the language server's scan). */
  overrides?: HostOverrides;
  /** With online checks (the user's `--online`): what the network rules read. */
  network?: NetworkFacts;
}

/** The lint of one task. Plain data: workers post it back. */
export interface TaskResult {
  problems: Problem[];
  internalErrors: string[];
  skipped?: string;
  /** Files that run scripts (Dockerfiles), when the phase wants them: the scripts they copy in and run. */
  scripts?: ScriptUse;
}

/**
 * Lints one file; the main thread and the scan workers run exactly this. `earlier`: on the thread
 * that read it before linting (its builds), the file's model, whose parse the lint may read again.
 */
export function lintTask(
  engine: Engine,
  task: LintTask,
  resolver: SettingsResolver,
  phase: PhaseContext,
  earlier?: DocumentModel,
): TaskResult {
  const result = lintFile(
    engine,
    {
      path: task.path,
      kind: task.kind,
      text: task.text,
      ...(phase.buildScripts ? { buildScripts: phase.buildScripts } : {}),
      ...(phase.roots ? { roots: phase.roots } : {}),
      ...(task.dotenv !== undefined ? { dotenv: task.dotenv } : {}),
      ...(task.namedContexts ? { namedContexts: task.namedContexts } : {}),
      ...(task.sourcedVariables ? { sourcedVariables: task.sourcedVariables } : {}),
      ...(phase.overrides || phase.network
        ? { overrides: { ...phase.overrides, ...(phase.network ? { online: true } : {}) } }
        : {}),
      ...(phase.network ? { currentDigests: phase.network.currentDigests } : {}),
    },
    resolver,
    earlier,
  );
  let scripts: ScriptUse | undefined;
  if (phase.wantScripts && engine.runsScripts(task.kind)) scripts = engine.scriptUses(task, result.model);
  return {
    problems: result.problems,
    internalErrors: result.internalErrors,
    ...(result.skipped ? { skipped: result.skipped } : {}),
    ...(scripts ? { scripts } : {}),
  };
}

/**
 * `lintTask`, with the model a pass on this thread read of the file before (its builds), if
 * `parsedBefore` holds one: it is taken out, so each model serves one lint and is then dropped.
 */
export function lintTaskAfterPasses(
  engine: Engine,
  task: LintTask,
  resolver: SettingsResolver,
  phase: PhaseContext,
  parsedBefore: Map<string, DocumentModel> | undefined,
): TaskResult {
  const earlier = parsedBefore?.get(task.path);
  if (earlier) parsedBefore!.delete(task.path);
  return lintTask(engine, task, resolver, phase, earlier);
}
