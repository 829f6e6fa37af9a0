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

  /** Fills the views from the parsed file (called once, only for valid YAML). */
  protected abstract read(views: CiViews): void;

  private analysed(): CiViews {
    if (this.views) return this.views;
    const views: CiViews = { actionUses: [], images: [], snippets: [] };
    try {
      if (this.yaml.errors.length === 0) this.read(views);
    } catch (error) {
      if (!(error instanceof YamlBudgetError)) throw error;
      this.budgetError = error.message;
      views.actionUses = [];
      views.images = [];
      views.snippets = [];
    }
    views.images.sort((a, b) => a.range.start.line - b.range.start.line);
    return (this.views = views);
  }
}
