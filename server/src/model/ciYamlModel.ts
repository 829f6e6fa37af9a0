import type { SourceText } from './positions';
import { YamlFile, YamlBudgetError } from './yamlFile';
import type { ActionUseSite } from './actionUses';
import type { ImageReference } from './imageRef';
import type { ShellSnippet } from '../shell/snippet';

/** The views a CI file kind gives the rules: action refs, images, shell. */
export interface CiViews {
  actionUses: ActionUseSite[];
  images: ImageReference[];
  snippets: ShellSnippet[];
  /** How the snippets run: which ones one shell runs in turn, and from which folder. */
  shellRuns: ShellRun[];
}

/**
 * Snippets one shell runs in turn (a GitHub step's `run:`; a GitLab job's `before_script` and
 * `script` lines), so a `cd` in one holds for the next, starting in `workingDirectory`: a
 * `/`-separated folder relative to the job's workspace (the repository root is `''`), or undefined
 * when the file does not settle it (an expression, an absolute path, a folder outside the workspace).
 */
export interface ShellRun {
  snippets: ShellSnippet[];
  workingDirectory: string | undefined;
}

/**
 * A CI file in YAML, parsed once; its views are read on first use, all together. A file whose merge
 * keys and aliases reach beyond the lookup budget is not analysed (the reason says why), like
 * invalid YAML.
 */
export abstract class CiYamlModel {
  readonly yaml: YamlFile;
  private views: CiViews | undefined;
  private budgetError: string | undefined;

  constructor(
    readonly source: SourceText,
    options: { specHeader?: boolean } = {},
  ) {
    this.yaml = new YamlFile(source, options);
  }

  /** Why the file is not analysed: invalid YAML, or merge keys beyond the budget. */
  skipReason(): string | undefined {
    if (this.yaml.errors.length > 0) return this.yaml.errors[0];
    this.analysed();
    return this.budgetError;
  }

  actionUses(): ActionUseSite[] {
    return this.analysed().actionUses;
  }

  imageReferences(): ImageReference[] {
    return this.analysed().images;
  }

  shellSnippets(): ShellSnippet[] {
    return this.analysed().snippets;
  }

  shellRuns(): ShellRun[] {
    return this.analysed().shellRuns;
  }

  /** Fills the views from the parsed file (called once, only for valid YAML). */
  protected abstract read(views: CiViews): void;

  private analysed(): CiViews {
    if (this.views) return this.views;
    const views: CiViews = { actionUses: [], images: [], snippets: [], shellRuns: [] };
    try {
      if (this.yaml.errors.length === 0) this.read(views);
    } catch (error) {
      if (!(error instanceof YamlBudgetError)) throw error;
      this.budgetError = error.message;
      views.actionUses = [];
      views.images = [];
      views.snippets = [];
      views.shellRuns = [];
    }
    views.images.sort((a, b) => a.range.start.line - b.range.start.line);
    return (this.views = views);
  }
}
