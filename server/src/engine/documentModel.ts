import type { ExecutionContext, FileKind } from './types';
import type { LintInput } from './settings';
import { SourceText } from '../model/positions';
import { DockerfileModel } from '../model/dockerfile';
import { MemoTable } from '../model/memo';
import { ComposeModel } from '../model/compose';
import type { ImageReference } from '../model/imageRef';

/**
 * One document and its parsed models. Each model is built at most once, on first use, and shared
 * by every rule (rules never re-parse). Other analysers (e.g. the shell analyser) attach their
 * results through `memo`.
 */
export class DocumentModel {
  readonly source: SourceText;
  readonly kind: FileKind;
  readonly shellContext: ExecutionContext;
  readonly scriptRole: LintInput['scriptRole'];
  private readonly memos = new MemoTable();
  private static readonly imageReferenceProviders: Array<(model: DocumentModel) => ImageReference[]> = [];

  constructor(readonly input: LintInput) {
    this.source = new SourceText(input.uri, input.text);
    this.kind = input.kind;
    this.shellContext = input.shellContext ?? 'live';
    this.scriptRole = input.scriptRole;
  }

  memo<T>(key: string, compute: () => T): T {
    return this.memos.get(key, compute);
  }

  get dockerfile(): DockerfileModel | undefined {
    return this.kind === 'dockerfile' ? this.memo('dockerfile', () => new DockerfileModel(this.source)) : undefined;
  }

  get compose(): ComposeModel | undefined {
    return this.kind === 'compose'
      ? this.memo('compose', () => new ComposeModel(this.source, this.input.dotenv))
      : undefined;
  }

  /** Lets another analyser contribute image references (e.g. `docker run <image>` in shell code). */
  static addImageReferenceProvider(provider: (model: DocumentModel) => ImageReference[]): void {
    DocumentModel.imageReferenceProviders.push(provider);
  }

  /** Every image reference in the document, in document order. */
  imageReferences(): ImageReference[] {
    return this.memo('imageReferences', () => {
      const refs: ImageReference[] = [];
      if (this.dockerfile) refs.push(...this.dockerfile.imageReferences());
      if (this.compose) refs.push(...this.compose.imageReferences());
      for (const provider of DocumentModel.imageReferenceProviders) refs.push(...provider(this));
      return refs.sort(
        (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
      );
    });
  }
}
