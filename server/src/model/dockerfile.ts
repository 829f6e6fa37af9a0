import { DockerfileParser, Dockerfile, From, Instruction, Copy, Run, Onbuild } from 'dockerfile-ast';
import { MemoTable } from './memo';
import type { Range } from '../engine/types';
import type { SourceText } from './positions';
import { interpolate, VariableLookup } from './interpolate';
import { ImageReference, ImageReferenceSource, parseImageReference } from './imageRef';

/** A Dockerfile parsed once by dockerfile-ast, with the facts several rules need. */
export class DockerfileModel {
  readonly ast: Dockerfile;
  /** ARGs declared before the first FROM: name → default (null when declared without one). */
  readonly globalArgs = new Map<string, { value: string | null; valueRange: Range | null }>();
  /** Instructions in document order, ONBUILD triggers included right after their ONBUILD. */
  readonly instructions: Instruction[] = [];

  /** Named build contexts the host knows for this Dockerfile (lower case): like stages, not images. */
  readonly namedContexts: ReadonlySet<string>;

  constructor(
    readonly source: SourceText,
    namedContexts: readonly string[] = [],
  ) {
    this.namedContexts = new Set(namedContexts.map((n) => n.toLowerCase()));
    this.ast = DockerfileParser.parse(source.text);
    for (const arg of this.ast.getInitialARGs()) {
      const property = arg.getProperty();
      if (property)
        this.globalArgs.set(property.getName(), { value: property.getValue(), valueRange: property.getValueRange() });
    }
    for (const instruction of this.ast.getInstructions()) {
      this.instructions.push(instruction);
      if (instruction instanceof Onbuild) {
        const trigger = instruction.getTriggerInstruction();
        if (trigger) this.instructions.push(trigger);
      }
    }
  }

  private readonly memos = new MemoTable();

  /** A value computed once per parse by an analyser of this model (shell snippets, script uses). */
  memo<T>(key: string, compute: () => T): T {
    return this.memos.get(key, compute);
  }

  get escapeCharacter(): string {
    return this.ast.getEscapeCharacter();
  }

  /** Parser directive by name (`syntax`, `escape`, `check`), case-insensitive. */
  directive(name: string): { value: string; valueRange: Range } | undefined {
    const found = this.ast.getDirectives().find((d) => d.getName().toLowerCase() === name);
    return found ? { value: found.getValue(), valueRange: found.getValueRange() } : undefined;
  }

  /** The instruction whose range contains `line`, if any. */
  instructionAtLine(line: number): Instruction | undefined {
    return this.ast.getInstructions().find((i) => i.getRange().start.line <= line && line <= i.getRange().end.line);
  }

  lookupGlobalArg: VariableLookup = (name) => {
    const arg = this.globalArgs.get(name);
    if (!arg) return undefined;
    return arg.value;
  };

  /**
   * Every image the build pulls: FROM, COPY --from, RUN --mount from=, ONBUILD forms, `# syntax=`.
   * Stage names and named build contexts are not images.
   */
  imageReferences(): ImageReference[] {
    const refs: ImageReference[] = [];
    const stages = new Set<string>(this.namedContexts);
    const syntax = this.directive('syntax');
    if (syntax) this.pushReference(refs, 'syntax-directive', syntax.value, syntax.valueRange, stages, false);
    let stageIndex = 0;
    for (const instruction of this.instructions) {
      if (instruction instanceof From) {
        const image = instruction.getImage();
        const range = instruction.getImageRange();
        if (image && range) this.pushReference(refs, 'from', image, range, stages, true);
        const stage = instruction.getBuildStage();
        if (stage) stages.add(stage.toLowerCase());
        stages.add(String(stageIndex++));
      } else if (instruction instanceof Copy) {
        const flag = instruction.getFromFlag();
        const value = flag?.getValue();
        const range = flag?.getValueRange();
        if (value && range) this.pushReference(refs, 'copy-from', value, range, stages, true);
      } else if (instruction instanceof Run) {
        for (const flag of instruction.getFlags()) {
          if (flag.getName().toLowerCase() !== 'mount') continue;
          const from = flag.getOption('from');
          const value = from?.getValue();
          const range = from?.getValueRange();
          if (value && range) this.pushReference(refs, 'mount-from', value, range, stages, true);
        }
      }
    }
    return refs;
  }

  private pushReference(
    refs: ImageReference[],
    source: ImageReferenceSource,
    written: string,
    range: Range,
    stages: Set<string>,
    useArgs: boolean,
  ): void {
    const writtenText = this.source.textOf(range);
    const resolvedText = useArgs
      ? interpolate(writtenText, this.lookupGlobalArg)
      : { value: writtenText, usedVariables: false };
    if (!resolvedText) return;
    const resolved = resolvedText.value;
    if (resolved === '' || resolved.toLowerCase() === 'scratch') return;
    if (source !== 'syntax-directive' && stages.has(resolved.toLowerCase())) return;
    const image = parseImageReference(resolved);
    if (!image) return;
    const ref: ImageReference = {
      source,
      written: writtenText || written,
      range,
      resolved,
      image,
      viaVariable: resolvedText.usedVariables,
    };
    const start = this.source.offsetAt(range.start);
    if (!resolvedText.usedVariables && !writtenText.includes('\n')) {
      ref.nameRange = this.source.rangeOf(start, start + image.nameEnd);
      if (image.tagStart !== undefined)
        ref.tagRange = this.source.rangeOf(start + image.tagStart, start + image.tagStart + image.tag!.length);
      if (image.digestStart !== undefined)
        ref.digestRange = this.source.rangeOf(start + image.digestStart, start + writtenText.length);
      ref.editTarget = { range, text: writtenText };
    } else if (resolvedText.literalSpan) {
      ref.editTarget = {
        range: this.source.rangeOf(start + resolvedText.literalSpan.start, start + resolvedText.literalSpan.end),
        text: writtenText.slice(resolvedText.literalSpan.start, resolvedText.literalSpan.end),
      };
    } else if (resolvedText.fromVariable) {
      const arg = this.globalArgs.get(resolvedText.fromVariable);
      if (arg?.value && arg.valueRange) {
        const text = this.source.textOf(arg.valueRange);
        if (text === arg.value) ref.editTarget = { range: arg.valueRange, text };
      }
    }
    refs.push(ref);
  }
}
