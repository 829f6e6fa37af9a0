import type { ExecutionContext } from './types';
import type { LintInput } from './settings';
import { SourceText } from '../model/positions';
import { MemoTable } from '../model/memo';
import type { ImageReference } from '../model/imageRef';
import type { ActionUseSite } from '../model/actionUses';
import type { KindAdapter } from '../kinds/kind';
import type { ShellAnalysis, ShellCommand } from '../shell/types';
import type { ShellSnippet } from '../shell/snippet';
import type { ShellAnalyzer } from '../shell/analyse';
import { shellImageReferences } from '../shell/imageRefs';
import type { Sourcing } from '../shell/sourcing';
import type { ScriptVariables } from '../shell/commandVariables';

/**
 * One document, its kind's adapter and the views rules read. The kind's own parse and each view
 * are built at most once, on first use, and shared by every rule (rules never re-parse). Made by
 * the engine (`Engine.model`), which gives it the adapter of its kind and the shell analyser.
 */
export class DocumentModel {
  readonly source: SourceText;
  readonly shellContext: ExecutionContext;
  readonly scriptRole: LintInput['scriptRole'];
  private readonly memos = new MemoTable();
  /** The commands of each snippet analysed so far: the whole analysis's, or those asked for alone. */
  private readonly commandsBySnippet = new Map<ShellSnippet, ShellCommand[]>();

  /** The kind's parse of the same document by an earlier model, to read again instead of parsing. */
  private earlierParse: unknown;

  /**
   * @param earlier a model of the same document read before (its builds, with no settings): its
   *   parse is read again (`KindAdapter.reread`) when it has one, the kind can re-read it, and both
   *   were given the same input as far as a parse reads it
   */
  constructor(
    readonly input: LintInput<string>,
    readonly kind: KindAdapter,
    private readonly shellAnalyzer: ShellAnalyzer,
    earlier?: DocumentModel,
  ) {
    this.source = new SourceText(input.uri, input.text);
    this.shellContext = input.shellContext ?? 'live';
    this.scriptRole = input.scriptRole;
    if (earlier && kind.reread && earlier.memos.has('parsed') && sameParseInput(earlier.input, input))
      this.earlierParse = earlier.parsed;
  }

  memo<T>(key: string, compute: () => T): T {
    return this.memos.get(key, compute);
  }

  /** The kind's own parse (a DockerfileModel, a ComposeModel…). */
  get parsed(): unknown {
    return this.memo('parsed', () => {
      const earlier = this.earlierParse;
      this.earlierParse = undefined;
      return earlier !== undefined ? this.kind.reread!(earlier) : this.kind.parse(this.source, this.input);
    });
  }

  /** The kind's own parse when the document is of `kind`, else undefined. */
  parsedAs<M>(kind: KindAdapter<M>): M | undefined {
    return this.kind.id === kind.id ? (this.parsed as M) : undefined;
  }

  /**
   * The shell code the document's kind finds (a whole script, Dockerfile RUN/CMD/ENTRYPOINT,
   * Compose commands…) with the payloads nested in it, analysed once.
   */
  get shell(): ShellAnalysis {
    return this.memo('shell', () =>
      this.keepShell(this.shellAnalyzer.analyse(this.snippets(), this.source, this.scriptVariables())),
    );
  }

  /**
   * The analysis `shell` gives, in steps that pause every `nodesPerStep` syntax nodes (none: no
   * pause), for a lint that must stay responsive on a large document; `shell` then answers from it.
   */
  *prepareShell(nodesPerStep?: number): Generator<void, void, void> {
    if (this.memos.has('shell')) return;
    const snippets = this.snippets();
    // Finding a large script's snippets (its offsets, line by line) is a step of its own.
    if (nodesPerStep) yield;
    const analysis = yield* this.shellAnalyzer.analyseSteps(
      snippets,
      this.source,
      nodesPerStep,
      this.scriptVariables(),
    );
    this.memo('shell', () => this.keepShell(analysis));
  }

  private scriptVariables(): ScriptVariables {
    const partial = this.input.partial;
    return {
      sourced: this.input.sourcedVariables,
      from: partial && { offset: partial.regionStart, changes: partial.variablesBefore },
    };
  }

  private snippets(): ShellSnippet[] {
    return this.kind.shellSnippets?.(this.parsed, this) ?? [];
  }

  private keepShell(analysis: ShellAnalysis): ShellAnalysis {
    for (const [snippet, commands] of analysis.commandsBySnippet) this.commandsBySnippet.set(snippet, commands);
    return analysis;
  }

  /**
   * The commands of some of the document's snippets, in order, analysing only those not analysed
   * yet (a Dockerfile's lint and its build-script lookup share one analysis).
   */
  shellCommandsOf(snippets: readonly ShellSnippet[]): ShellCommand[] {
    const missing = snippets.filter((snippet) => !this.commandsBySnippet.has(snippet));
    if (missing.length > 0)
      for (const [snippet, commands] of this.shellAnalyzer.analyse(missing, this.source, this.scriptVariables())
        .commandsBySnippet)
        this.commandsBySnippet.set(snippet, commands);
    return snippets.flatMap((snippet) => this.commandsBySnippet.get(snippet)!);
  }

  /** What the document's script gives the scripts that source it, and the files it sources. */
  sourcing(): Sourcing {
    return this.shellAnalyzer.sourcing(this.snippets(), this.source);
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

/** Whether two inputs give the same parse: of its input, a kind's `parse` reads these fields only. */
function sameParseInput(a: LintInput<string>, b: LintInput<string>): boolean {
  return (
    a.kind === b.kind &&
    a.uri === b.uri &&
    a.text === b.text &&
    a.dotenv === b.dotenv &&
    (a.namedContexts ?? []).join('\n') === (b.namedContexts ?? []).join('\n')
  );
}
