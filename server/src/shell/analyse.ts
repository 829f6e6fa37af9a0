import type { SourceText } from '../model/positions';
import type { ShellAnalysis, ShellCommand } from './types';
import type { ShellPlace, ShellSnippet } from './snippet';
import { contextOf, SnippetBuilder } from './snippet';
import type { SyntaxNode } from './parser';
import { children, namedChildren, parseBash } from './parser';
import type { ShellWord } from './words';
import { decodeWord, rawWord } from './words';
import { stripWrappers } from './wrappers';
import { dockerExecPayload, kubectlExecPayload, shellInvocation, sshRemote, suScript } from './programs';

const MAX_DEPTH = 6;
const WRITE_OPERATORS = new Set(['>', '>>', '&>', '&>>', '>|']);

/** Parses every snippet (and the payloads nested in them) once and collects commands and redirections. */
export function analyseSnippets(snippets: readonly ShellSnippet[], source: SourceText): ShellAnalysis {
  const analysis: ShellAnalysis = { commands: [], redirects: [] };
  for (const snippet of snippets) new SnippetWalker(snippet, source, analysis).run();
  return analysis;
}

/** Walks one parsed snippet; nested payloads get their own walker. */
class SnippetWalker {
  private readonly primaries = new Map<number, ShellCommand>();
  private readonly pipelines = new Map<number, Array<{ index: number; command: ShellCommand }>>();
  private readonly substitutionSpans: Array<{ word: ShellWord; start: number; end: number }> = [];
  private readonly commandStarts: Array<{ start: number; command: ShellCommand }> = [];

  constructor(
    private readonly snippet: ShellSnippet,
    private readonly source: SourceText,
    private readonly analysis: ShellAnalysis,
    /** Standard input of the snippet as a whole (`ssh host bash -s <<'EOF'`): given to its single top command. */
    private readonly inheritedStdin?: ShellWord,
  ) {}

  run(): void {
    if (this.snippet.text.trim() === '') return;
    const tree = parseBash(this.snippet.text);
    try {
      const stack: SyntaxNode[] = [tree.rootNode];
      while (stack.length > 0) {
        const node = stack.pop()!;
        if (node.type === 'command') this.command(node);
        else if (node.type === 'file_redirect') this.redirect(node);
        else if (node.type === 'comment') continue;
        for (let i = node.namedChildCount - 1; i >= 0; i--) {
          const child = node.namedChild(i);
          if (child) stack.push(child);
        }
      }
    } finally {
      tree.delete();
    }
    this.link();
  }

  private word(node: SyntaxNode): ShellWord {
    const word = decodeWord(node, this.snippet, this.source);
    const stack = [node];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n.type === 'command_substitution' || n.type === 'process_substitution') this.substitutionSpans.push({ word, start: n.startIndex, end: n.endIndex });
      else stack.push(...namedChildren(n));
    }
    return word;
  }

  private command(node: SyntaxNode): void {
    const name = node.childForFieldName('name');
    if (!name) return;
    const words = [this.word(name)];
    for (const argument of node.childrenForFieldName('argument')) if (argument) words.push(this.word(argument));
    let statement = node;
    let stdin: ShellWord | undefined;
    if (node.parent?.type === 'redirected_statement') {
      statement = node.parent;
      const body = children(statement).find((c) => c.type === 'heredoc_redirect')?.namedChildren.find((c) => c?.type === 'heredoc_body');
      if (body) stdin = rawWord(body.startIndex, body.endIndex, 'heredoc_body', this.snippet, this.source);
    }
    if (!stdin && this.inheritedStdin && statement.parent?.type === 'program') stdin = this.inheritedStdin;
    const primary = this.expand(words, this.snippet.place, this.rangeOf(node.startIndex, node.endIndex), stdin, this.snippet.depth);
    this.primaries.set(node.id, primary);
    this.commandStarts.push({ start: node.startIndex, command: primary });
    const pipeline = statement.parent?.type === 'pipeline' ? statement.parent : undefined;
    if (pipeline) {
      const index = namedChildren(pipeline).findIndex((c) => c.id === statement.id);
      const members = this.pipelines.get(pipeline.id) ?? [];
      members.push({ index, command: primary });
      this.pipelines.set(pipeline.id, members);
    } else if (this.snippet.editable) {
      const removal = this.removalSpan(statement);
      if (removal) primary.removal = this.source.rangeOf(removal[0], removal[1]);
    }
  }

  /**
   * Sees through wrappers and follows nested payloads. Returns the command as written (after
   * wrappers); payload commands are added to the analysis on the way.
   */
  private expand(words: ShellWord[], place: ShellPlace, range: ShellCommand['range'], stdin: ShellWord | undefined, depth: number): ShellCommand {
    const { argv, wrappers } = stripWrappers(words);
    const command: ShellCommand = { argv, wrappers, place, context: contextOf(place), range, snippet: this.snippet, ...(stdin ? { stdin } : {}) };
    this.analysis.commands.push(command);
    if (depth >= MAX_DEPTH || argv.length === 0) return command;
    const shell = shellInvocation(argv);
    if (shell?.kind === 'command') this.nested([shell.script], place, 'sh -c', depth);
    else if (shell?.kind === 'stdin' && stdin) this.nested([stdin], place, 'heredoc', depth);
    const su = suScript(argv);
    if (su) this.nested([su], place, 'su -c', depth);
    const ssh = sshRemote(argv);
    if (ssh) {
      if (ssh.remote.length > 0) this.nested(ssh.remote, 'remote-host', 'ssh', depth, stdin);
      else if (stdin) this.nested([stdin], 'remote-host', 'ssh', depth);
    }
    const payload = dockerExecPayload(argv) ?? kubectlExecPayload(argv);
    if (payload && payload.length > 0) {
      const first = payload[0]!.range.start;
      const last = payload[payload.length - 1]!.range.end;
      this.expand(payload, 'container', { start: first, end: last }, stdin, depth + 1);
    }
    return command;
  }

  /** Parses words as shell code (joined by spaces, as `ssh` and `sh -c` receive them). */
  private nested(words: readonly ShellWord[], place: ShellPlace, origin: string, depth: number, stdin?: ShellWord): void {
    const builder = new SnippetBuilder();
    words.forEach((word, i) => {
      if (i > 0) builder.synthetic(' ', word.offsets[0] ?? 0);
      builder.mapped(word.value, word.offsets);
    });
    const last = words[words.length - 1]!;
    const snippet = builder.build(last.offsets[last.offsets.length - 1]!, { place, origin, editable: false, depth: depth + 1 });
    new SnippetWalker(snippet, this.source, this.analysis, stdin).run();
  }

  private redirect(node: SyntaxNode): void {
    const operator = children(node).find((c) => !c.isNamed)?.type;
    const destination = node.childForFieldName('destination');
    if (!operator || !WRITE_OPERATORS.has(operator) || !destination) return;
    this.analysis.redirects.push({
      operator,
      target: this.word(destination),
      place: this.snippet.place,
      context: contextOf(this.snippet.place),
      range: this.rangeOf(node.startIndex, node.endIndex),
    });
  }

  private rangeOf(start: number, end: number): ShellCommand['range'] {
    const offsets = this.snippet.offsets;
    const s = offsets[start]!;
    const e = end > start ? offsets[end - 1]! + 1 : s;
    return this.source.rangeOf(s, Math.max(s, e));
  }

  /** Document span that removes `statement` from an all-`&&` list or a `;` sequence. */
  private removalSpan(statement: SyntaxNode): [number, number] | undefined {
    const offsets = this.snippet.offsets;
    const after = (n: SyntaxNode) => offsets[n.endIndex - 1]! + 1;
    const before = (n: SyntaxNode) => offsets[n.startIndex]!;
    let top = statement.parent;
    if (top?.type === 'list') {
      while (top.parent?.type === 'list') top = top.parent;
      const items: SyntaxNode[] = [];
      const operators: string[] = [];
      const flatten = (list: SyntaxNode) => {
        for (const child of children(list)) {
          if (child.type === 'list') flatten(child);
          else if (child.isNamed) items.push(child);
          else operators.push(child.type);
        }
      };
      flatten(top);
      if (operators.some((op) => op !== '&&') || items.some((item) => item.type === 'comment')) return undefined;
      const index = items.findIndex((item) => item.id === statement.id);
      if (index > 0) return [after(items[index - 1]!), after(statement)];
      if (index === 0 && items.length > 1) return [before(statement), before(items[1]!)];
      return undefined;
    }
    if (!top) return undefined;
    const siblings = children(top);
    const at = siblings.findIndex((c) => c.id === statement.id);
    const next = siblings[at + 1];
    const afterNext = siblings[at + 2];
    if (next?.type === ';' && afterNext?.isNamed && afterNext.type !== 'comment') return [before(statement), before(afterNext)];
    const previous = siblings[at - 1];
    const beforePrevious = siblings[at - 2];
    if (previous?.type === ';' && beforePrevious?.isNamed && beforePrevious.type !== 'comment' && next?.type !== ';') return [after(beforePrevious), after(statement)];
    return undefined;
  }

  /** Fills pipelines and substitutions once every command of the snippet is known. */
  private link(): void {
    for (const members of this.pipelines.values()) {
      const ordered = members.sort((a, b) => a.index - b.index).map((m) => m.command);
      if (ordered.length > 1) for (const command of ordered) command.pipeline = ordered;
    }
    for (const { word, start, end } of this.substitutionSpans) {
      for (const { start: s, command } of this.commandStarts) if (s >= start && s < end) word.substitutions.push(command);
    }
  }
}
