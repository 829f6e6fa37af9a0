import * as path from 'node:path';
import type { DocumentModel } from '../engine/documentModel';
import { dockerfile as dockerfileKind } from '../kinds/dockerfile';
import { buildScriptRuns } from '../shell/buildScripts';
import type { ShellSnippet } from '../shell/snippet';
import { RUNNER_FOLDER, type ContextLocator } from '../workspace/buildScriptIndex';
import { ScriptRunner, stageAt, StageState } from './packageTargets';

interface Run {
  stage: StageState;
  /** `docker/Dockerfile:12`, for reasons. */
  where: string;
}

/**
 * Which build stage each script a Dockerfile copies in and runs at build runs in, so the script's
 * installs are pinned for that stage's base image (and with its ENV, apt sources and package.json)
 * like the Dockerfile's own. A script several builds run counts only when they all start from the
 * same image for the same platform: its OS packages would need a version per base otherwise.
 */
export class ScriptRunners {
  /** By Dockerfile: each build-context path it runs at build, with the stage of each RUN. */
  private readonly byRunner = new Map<string, Array<{ source: string; run: Run }>>();

  /**
   * Records (or replaces) the scripts one Dockerfile runs; no `model`: it runs none any more.
   * `label`: how reasons name the Dockerfile.
   */
  set(dockerfilePath: string, model: DocumentModel | undefined, label: string): void {
    const parsed = model?.parsedAs(dockerfileKind);
    const runs: Array<{ source: string; run: Run }> = [];
    const commandsOf = (snippets: readonly ShellSnippet[]) => model!.shellCommandsOf(snippets);
    for (const run of parsed ? buildScriptRuns(parsed, commandsOf) : []) {
      const stage = stageAt(model!, run.line);
      if (!stage) continue;
      const sourceChange = stage.sourceChange && {
        line: stage.sourceChange.line,
        what: `${stage.sourceChange.what} in ${label}`,
      };
      runs.push({
        source: run.source,
        run: { stage: { ...stage, ...(sourceChange ? { sourceChange } : {}) }, where: `${label}:${run.line + 1}` },
      });
    }
    if (runs.length > 0) this.byRunner.set(dockerfilePath, runs);
    else this.byRunner.delete(dockerfilePath);
  }

  /**
   * The stage a script runs in, or why its OS packages cannot be pinned. `locate` resolves a
   * Dockerfile's build-context path (the Dockerfile's folder by default).
   */
  runnerOf(scriptPath: string, locate: ContextLocator = RUNNER_FOLDER): ScriptRunner {
    const script = path.resolve(scriptPath);
    const runs: Run[] = [];
    for (const [dockerfile, list] of this.byRunner)
      for (const { source, run } of list) if (locate(dockerfile, source) === script) runs.push(run);
    if (runs.length === 0)
      return { osReason: 'no Dockerfile here runs this script at build, so the base image is not known' };
    const key = (run: Run) => (run.stage.base ? `${run.stage.base.reference} (${run.stage.base.platform ?? ''})` : '');
    const bases = new Map(runs.map((run) => [key(run), run]));
    if (bases.size === 1) return { stage: runs[0]!.stage };
    const first: StageState = { ...runs[0]!.stage };
    delete first.base;
    const named = [...bases.values()].map(
      (run) => `${run.stage.base?.reference ?? 'an unknown image'} at ${run.where}`,
    );
    return {
      stage: first,
      osReason: `builds on different base images run this script (${named.join(', ')}): each may need another version`,
    };
  }
}
