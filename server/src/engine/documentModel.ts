import type { ExecutionContext } from './types';
import type { LintInput } from './settings';
import { SourceText } from '../model/positions';
import { MemoTable } from '../model/memo';
import type { ImageReference } from '../model/imageRef';
import type { ActionUseSite } from '../model/actionUses';
import type { KindAdapter } from '../kinds/kind';
import { FILE_KINDS } from '../kinds';
import type { ShellAnalysis } from '../shell/types';
import { shellAnalysis } from '../shell';
import { shellImageReferences } from '../shell/imageRefs';

/**
 * One document, its kind's adapter and the views rules read. The kind's own parse and each view
 * are built at most once, on first use, and shared by every rule (rules never re-parse).
 */
export class DocumentModel {
  readonly source: SourceText;
  readonly kind: KindAdapter;
  readonly shellContext: ExecutionContext;
  readonly scriptRole: LintInput['scriptRole'];
  private readonly memos = new MemoTable();

  /** @param kind the adapter of `input.kind` (default: the built-in one) */
  constructor(
    readonly input: LintInput,
    kind: KindAdapter = FILE_KINDS.get(input.kind),
  ) {
    if (!kind) throw new Error(`unknown file kind: ${input.kind}`);
    this.source = new SourceText(input.uri, input.text);
    this.kind = kind;
    this.shellContext = input.shellContext ?? 'live';
    this.scriptRole = input.scriptRole;
  }

  memo<T>(key: string, compute: () => T): T {
    return this.memos.get(key, compute);
  }

  /** The kind's own parse (a DockerfileModel, a ComposeModel…). */
  get parsed(): unknown {
    return this.memo('parsed', () => this.kind.parse(this.source, this.input));
  }

  /** The kind's own parse when the document is of `kind`, else undefined. */
  parsedAs<M>(kind: KindAdapter<M>): M | undefined {
    return this.kind.id === kind.id ? (this.parsed as M) : undefined;
  }

  /** The shell code of the document (embedded or whole), analysed once. */
  get shell(): ShellAnalysis {
    return shellAnalysis(this);
  }

  /** Every remote action or reusable workflow the document runs, in document order. */
  actionUses(): ActionUseSite[] {
    return this.memo('actionUses', () => this.kind.actionUses?.(this.parsed, this) ?? []);
  }

  /** Every image reference in the document (its own and those of its shell commands), in document order. */
  imageReferences(): ImageReference[] {
    return this.memo('imageReferences', () => {
      const refs = [...(this.kind.imageReferences?.(this.parsed, this) ?? []), ...shellImageReferences(this)];
      return refs.sort(
        (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
      );
    });
  }
}
