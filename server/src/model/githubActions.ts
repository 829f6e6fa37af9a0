import { isMap, isScalar, isSeq, Node, YAMLMap } from 'yaml';
import { CiYamlModel, type CiViews } from './ciYamlModel';
import { ActionUseSite, parseActionUses } from './actionUses';
import type { ImageReference } from './imageRef';
import { imageReferenceAt } from './imageAt';
import { workspaceFolder } from '../shell/ciStepScripts';
import { GITHUB_EXPRESSION, scriptSnippet, yamlScalarElement } from '../shell/embed/yamlScalar';

const DOCKER = 'docker://';
/** The job's workspace, written out at the start of a `working-directory:`. */
const WORKSPACE_EXPRESSION = /^\$\{\{\s*github\.workspace\s*\}\}(?:\/|$)/;

/** What a `defaults.run` map gives the `run:` steps below it. */
interface RunDefaults {
  shell: string | undefined;
  /** See ShellRun.workingDirectory. */
  workingDirectory: string | undefined;
}
const POSIX_SHELL = /^(?:bash|sh)(?:\s|$)/;

/**
 * A GitHub Actions file, parsed once: a workflow or action metadata (each its own model below).
 * Views: every `uses:` of steps and jobs, images (`jobs.*.container`, service images,
 * `uses: docker://…`, a Docker action's `runs.image`) and the `run:` scripts a POSIX shell runs.
 */
export abstract class GitHubActionsModel extends CiYamlModel {
  /**
   * Reads a step; `defaults`: the shell and working directory the job (or workflow) gives its `run:`
   * steps (`defaults.run`), where the step names none.
   */
  protected readStep(views: CiViews, step: Node, defaults: RunDefaults, seen: Set<Node>): void {
    const y = this.yaml;
    if (!isMap(step)) return;
    const uses = y.get(step, 'uses');
    if (isScalar(uses) && typeof uses.value === 'string' && uses.value.startsWith(DOCKER))
      this.addImage(views, uses, 'docker-action', seen, DOCKER);
    else this.addUses(views, uses, 'step', seen);
    const run = y.get(step, 'run');
    const shell = y.text(y.get(step, 'shell')) ?? defaults.shell;
    if (!isScalar(run) || shell === undefined || !POSIX_SHELL.test(shell) || seen.has(run)) return;
    seen.add(run);
    const element = yamlScalarElement(this.source.text, run);
    if (!element) return;
    const snippet = scriptSnippet(element, { place: 'ci-runner', origin: 'run' }, GITHUB_EXPRESSION);
    views.snippets.push(snippet);
    const directory = y.get(step, 'working-directory');
    views.shellRuns.push({
      snippets: [snippet],
      workingDirectory: directory === undefined ? defaults.workingDirectory : this.workingDirectory(directory),
    });
  }

  /** The shell and working directory a `defaults:` map gives `run:` steps, over `outer`. */
  protected runDefaults(holder: Node | undefined, outer: RunDefaults): RunDefaults {
    const y = this.yaml;
    const run = y.get(y.get(holder, 'defaults'), 'run');
    const directory = y.get(run, 'working-directory');
    return {
      shell: y.text(y.get(run, 'shell')) ?? outer.shell,
      workingDirectory: directory === undefined ? outer.workingDirectory : this.workingDirectory(directory),
    };
  }

  /**
   * A `working-directory:` value as a folder of the workspace (see ShellRun): `deploy`, `./app`,
   * `${{ github.workspace }}/app`; undefined for other expressions, absolute paths and folders
   * outside the workspace.
   */
  private workingDirectory(node: Node): string | undefined {
    const text = this.yaml.text(node)?.replace(WORKSPACE_EXPRESSION, '');
    return text === undefined || text.includes('${{') ? undefined : workspaceFolder('', text);
  }

  protected addUses(views: CiViews, node: Node | undefined, origin: ActionUseSite['origin'], seen: Set<Node>): void {
    if (!isScalar(node) || seen.has(node)) return;
    const span = this.yaml.span(node);
    const uses = span && parseActionUses(span.value);
    if (!span || !uses) return;
    seen.add(node);
    const source = this.source;
    const refStart = span.start + uses.refStart;
    const site: ActionUseSite = {
      uses,
      range: source.rangeOf(span.start, span.end),
      refRange: span.literal ? source.rangeOf(refStart, span.end) : source.rangeOf(span.start, span.end),
      origin,
    };
    if (span.literal) {
      const comment = this.yaml.commentAfter(span.nodeEnd);
      site.site = {
        value: span.value,
        valueStart: span.start,
        refStart,
        valueEnd: span.end,
        nodeEnd: span.nodeEnd,
        inFlow: this.yaml.inFlowCollection(span.start),
        commentable: !source.text.slice(span.start, span.nodeEnd).includes('\n'),
        ...(comment ? { comment } : {}),
      };
    }
    views.actionUses.push(site);
  }

  protected addImage(
    views: CiViews,
    node: Node | undefined,
    kind: ImageReference['source'],
    seen: Set<Node>,
    prefix = '',
  ): void {
    if (!isScalar(node) || seen.has(node)) return;
    const span = this.yaml.span(node);
    if (!span || !span.value.startsWith(prefix)) return;
    seen.add(node);
    const ref = imageReferenceAt(
      this.source,
      {
        value: span.value.slice(prefix.length),
        start: span.start + prefix.length,
        end: span.end,
        literal: span.literal,
      },
      kind,
    );
    if (ref) views.images.push(ref);
  }
}

/** A workflow (`.github/workflows/*.yml`): jobs' `uses:`, containers, services and steps. */
export class WorkflowModel extends GitHubActionsModel {
  protected read(views: CiViews): void {
    const y = this.yaml;
    const workflowDefaults = this.runDefaults(y.root, { shell: undefined, workingDirectory: '' });
    const seen = new Set<Node>();
    for (const job of y.entries(y.get(y.root, 'jobs'))) {
      if (!isMap(job.value)) continue;
      this.addUses(views, y.get(job.value, 'uses'), 'job', seen);
      const container = y.get(job.value, 'container');
      this.addImage(views, isMap(container) ? y.get(container, 'image') : container, 'workflow-container', seen);
      for (const service of y.entries(y.get(job.value, 'services')))
        this.addImage(
          views,
          isMap(service.value) ? y.get(service.value, 'image') : undefined,
          'workflow-service',
          seen,
        );
      const jobDefaults = this.runDefaults(job.value, workflowDefaults);
      jobDefaults.shell ??= this.runsOnWindows(job.value) ? 'pwsh' : 'bash';
      for (const step of y.items(y.get(job.value, 'steps'))) this.readStep(views, step, jobDefaults, seen);
    }
  }

  /**
   * Whether a job runs on Windows, where `run:` defaults to PowerShell: a `runs-on` label (or
   * every value of the matrix entry it names) starting with `windows`.
   */
  private runsOnWindows(job: YAMLMap): boolean {
    const y = this.yaml;
    const runsOn = y.get(job, 'runs-on');
    const labels = isMap(runsOn)
      ? [...y.items(y.get(runsOn, 'labels')), y.get(runsOn, 'labels')]
      : isSeq(runsOn)
        ? y.items(runsOn)
        : [runsOn];
    const values = labels.flatMap((label) => {
      const text = y.text(label);
      if (text === undefined) return [];
      const matrix = /^\$\{\{\s*matrix\.([\w-]+)\s*\}\}$/.exec(text);
      if (!matrix) return [text];
      const options = y.items(y.get(y.get(y.get(job, 'strategy'), 'matrix'), matrix[1]!));
      const texts = options.flatMap((o) => y.text(o) ?? []);
      return texts.length > 0 && texts.length === options.length ? texts : [''];
    });
    return values.length > 0 && values.every((v) => /^windows/i.test(v));
  }
}

/** Action metadata (`action.yml`): a composite action's steps, a Docker action's image. */
export class ActionMetadataModel extends GitHubActionsModel {
  protected read(views: CiViews): void {
    const y = this.yaml;
    const runs = y.get(y.root, 'runs');
    const using = y.text(y.get(runs, 'using'))?.toLowerCase();
    const seen = new Set<Node>();
    if (using === 'composite') {
      // Composite steps name their shell: a step without one does not run.
      // They start in the workspace of the job that uses the action.
      for (const step of y.items(y.get(runs, 'steps')))
        this.readStep(views, step, { shell: undefined, workingDirectory: '' }, seen);
    } else if (using === 'docker') {
      this.addImage(views, y.get(runs, 'image'), 'docker-action', seen, DOCKER);
    }
  }
}
