import type { SourceText } from '../model/positions';
import type { Complete, ScriptStatement, ShellAnalysis, ShellCommand, ShellScope, StatementPart } from './types';
import type { ShellPlace, ShellSnippet } from './snippet';
import { contextOf, SnippetBuilder } from './snippet';
import type { SyntaxNode, SyntaxTree } from './parser';
import type { BashParser } from './parser';
import { children, namedChildren } from './parser';
import type { ShellWord } from './words';
import { decodeWord, rawWord } from './words';
import { stripWrappers } from './wrappers';
import type { SnippetCache } from './analysisCache';
import type { ScriptVariables } from './commandVariables';
import type { FolderOf, SourcedFile, Sourcing } from './sourcing';
import { scriptFolderPrefix, sourcedPath } from './sourcing';
import { CommandVariables } from './commandVariables';
import { dockerExecPayload, evalPayload, kubectlExecPayload, shellInvocation, sshRemote, suScript } from './programs';
import { lowerBound } from '../text/lowerBound';

const MAX_DEPTH = 6;

/**
 * A shell analysis in steps: the generator pauses (yields) every so many syntax nodes walked, so a
 * host that must stay responsive can answer requests in between. Driven to its end, it is `analyse`.
 */
export type ShellSteps = Generator<void, ShellAnalysis, void>;

/**
 * Syntax nodes walked between two pauses of a stepped analysis: some tens of milliseconds of CPU (a
 * 900 KB script has about 60,000 the walk visits, at about 16 µs each). The parse of one snippet is
 * never split: tree-sitter parses a whole snippet in one call (about 200 ms for 900 KB).
 */
export const NODES_PER_STEP = 2_000;

/** Characters tree-sitter parses in the time the walk takes for one node (the parse counts against the pace). */
const PARSED_CHARS_PER_NODE = 100;

/** How far a stepped analysis is since its last pause (shared by the walkers of one analysis). */
interface Pace {
  nodes: number;
  every: number;
}
const WRITE_OPERATORS = new Set(['>', '>>', '&>', '&>>', '>|']);

/**
 * The one shell analyser: parses shell snippets (and the payloads nested in them) with its parser and
 * collects commands and redirections. Built by the composition root with the host's snippet cache.
 */
export class ShellAnalyzer {
  constructor(
    readonly parser: BashParser,
    /** Recent analyses of repeated snippets; none: every snippet is analysed afresh. */
    private readonly cache?: SnippetCache,
  ) {}

  /**
   * Analyses every snippet once, in order; `commandsBySnippet` tells which commands each gave.
   * `variables`: what a script's top level works with besides its own assignments.
   */
  analyse(snippets: readonly ShellSnippet[], source: SourceText, variables?: ScriptVariables): ShellAnalysis {
    return finishSteps(this.analyseSteps(snippets, source, undefined, variables));
  }

  /** `analyse` in steps (see `ShellSteps`): pauses every `nodesPerStep` nodes walked; none: never. */
  *analyseSteps(
    snippets: readonly ShellSnippet[],
    source: SourceText,
    nodesPerStep?: number,
    variables?: ScriptVariables,
  ): ShellSteps {
    const pace = nodesPerStep ? { nodes: 0, every: nodesPerStep } : undefined;
    const analysis: ShellAnalysis = { commands: [], redirects: [], commandsBySnippet: new Map() };
    // A script's analysis depends on what it sources: the cache, keyed by text alone, is not used.
    // (`variables.from` reaches whole scripts only, which the cache never holds: a partial
    // Dockerfile lint keeps the cache.)
    const cache = variables?.sourced ? undefined : this.cache;
    for (const snippet of snippets) {
      const recalled = cache?.recall(snippet, source);
      if (recalled) {
        analysis.commands.push(...recalled.commands);
        analysis.redirects.push(...recalled.redirects);
        analysis.commandsBySnippet.set(snippet, recalled.commands);
        continue;
      }
      const commandsBefore = analysis.commands.length;
      const redirectsBefore = analysis.redirects.length;
      yield* new SnippetWalker(this.parser, snippet, source, analysis, undefined, pace, variables).steps();
      const commands = analysis.commands.slice(commandsBefore);
      analysis.commandsBySnippet.set(snippet, commands);
      cache?.remember(snippet, { commands, redirects: analysis.redirects.slice(redirectsBefore) }, source);
    }
    return analysis;
  }

  /**
   * What a script gives the scripts that source it (the command and path variables and argument-running
   * helpers its top level sets, not those inside functions, loops or conditions) and the files it
   * sources itself, among its unconditional top-level commands (see `SnippetWalker.topLevel`).
   */
  sourcing(snippets: readonly ShellSnippet[], source: SourceText): Sourcing {
    const script = snippets.find((s) => s.origin === 'script' && s.depth === 0);
    const analysis: ShellAnalysis = { commands: [], redirects: [], commandsBySnippet: new Map() };
    const walker = script && new SnippetWalker(this.parser, script, source, analysis);
    return walker ? walker.topLevel() : { variables: new CommandVariables().snapshot(), files: [] };
  }
}

/**
 * Node types whose children may be statements: the walk logs their children (see
 * ShellCommand.siblings) in editable snippets.
 */
const CONTAINERS = new Set([
  'program',
  'list',
  'subshell',
  'compound_statement',
  'do_group',
  'if_statement',
  'elif_clause',
  'else_clause',
  'while_statement',
  'case_item',
  'command_substitution',
  'process_substitution',
  'negated_command',
  'function_definition',
  'ERROR',
]);

/** Node types that never contain commands or redirects: the walk does not ask for their children. */
const LEAVES = new Set([
  'word',
  'raw_string',
  'ansi_c_string',
  'number',
  'variable_name',
  'special_variable_name',
  'file_descriptor',
  'test_operator',
  'regex',
  'extglob_pattern',
  'heredoc_start',
  'heredoc_end',
]);

const SUBSTITUTION = /\$\(|`|[<>]\(/;
const NESTS = /\$\(|`|[<>]/;

/**
 * Word-like node types: they hold a command only inside `$(…)`, backquotes or `<(…)`/`>(…)`, so
 * the walk enters them only when their text has one.
 */
const WORDS = new Set([
  'command_name',
  'string',
  'translated_string',
  'concatenation',
  'simple_expansion',
  'expansion',
  'arithmetic_expansion',
  'brace_expression',
  'variable_assignment',
]);

/** Node types tree-sitter-bash gives a top-level statement. */
const STATEMENTS = new Set([
  'command',
  'pipeline',
  'list',
  'redirected_statement',
  'variable_assignment',
  'variable_assignments',
  'declaration_command',
  'unset_command',
  'test_command',
  'negated_command',
  'for_statement',
  'c_style_for_statement',
  'while_statement',
  'if_statement',
  'case_statement',
  'function_definition',
  'compound_statement',
  'subshell',
]);

/** A node and the chain of its ancestors, built during the walk. */
interface Ancestry {
  node: SyntaxNode;
  /** The node's type, read once from the cursor (each `node.type` is a call into the wasm). */
  type: string;
  up: Ancestry | undefined;
  /** The node's children as the walk passes them, for a container (CONTAINERS) of an editable snippet. */
  parts: StatementPart[] | undefined;
}

/** Walks one parsed snippet; nested payloads get their own walker. */
class SnippetWalker {
  private readonly primaries = new Map<number, ShellCommand>();
  private readonly pipelines = new Map<number, Array<{ index: number; command: ShellCommand }>>();
  private readonly substitutionSpans: Array<{ word: ShellWord; start: number; end: number }> = [];
  private readonly commandStarts: Array<{ start: number; command: ShellCommand }> = [];
  private variables: CommandVariables;
  /** A partial script: where the variables given in `ScriptVariables.from` take over (a document offset). */
  private resumeAt: number | undefined;
  /** The top-level statement the walk is in (an index into `analysis.script.statements`). */
  private statementIndex = 0;
  private readonly namedChildIds = new Map<number, number[]>();
  /** The parts a nested list's own children are, by the part that stands for it in its parent. */
  private readonly nestedLists = new Map<StatementPart, StatementPart[]>();
  /** Commands whose siblings are known once the walk has passed all of them. */
  private readonly unplaced: Array<{ command: ShellCommand; up: Ancestry; part: StatementPart }> = [];

  constructor(
    private readonly parser: BashParser,
    private readonly snippet: ShellSnippet,
    private readonly source: SourceText,
    private readonly analysis: ShellAnalysis,
    /** Standard input of the snippet as a whole (`ssh host bash -s <<'EOF'`): given to its single top command. */
    private readonly inheritedStdin?: ShellWord,
    /** A stepped analysis's pace: the walk pauses when it is due. Nested payloads are walked without pauses. */
    private readonly pace?: Pace,
    /** What a script's top level works with besides its own assignments. */
    private readonly scriptVariables?: ScriptVariables,
  ) {
    const script = snippet.origin === 'script' && snippet.depth === 0;
    this.variables = new CommandVariables(script ? scriptVariables?.sourced : undefined);
    this.resumeAt = script ? scriptVariables?.from?.offset : undefined;
  }

  /**
   * The snippet's top-level assignments, helpers and sourced files (see `ShellAnalyzer.sourcing`).
   * A `source` line counts when it always runs: a top-level command (redirected or not), a command
   * of a top-level `&&`/`||` list (`[ -f .env ] && . ./.env`; a guard on the file's existence is the
   * usual reason for the list), or the only thing an `if` without `else` does when its test is that
   * the same file exists (`if [ -f "$DIR/env.sh" ]; then . "$DIR/env.sh"; fi`). Inside functions,
   * loops, other conditions and subshells it does not: whether and when they run, or whether their
   * variables reach the script, is not known.
   */
  topLevel(): Sourcing {
    const files: SourcedFile[] = [];
    if (this.snippet.text.trim() === '') return { variables: this.variables.snapshot(), files };
    const folders = new Map<string, FolderOf>();
    const tree = this.parser.parse(this.snippet.text);
    const sourced = (command: SyntaxNode): void => {
      const found = this.sourcedBy(command, folders);
      if (found) files.push(found);
    };
    const statement = (node: SyntaxNode): void => {
      if (node.type === 'command') sourced(node);
      else if (node.type === 'redirected_statement') {
        const body = node.childForFieldName('body');
        if (body) statement(body);
      } else if (node.type === 'list') for (const item of namedChildren(node)) statement(item);
      else if (node.type === 'if_statement') {
        const guarded = this.existenceGuarded(node);
        if (guarded) sourced(guarded);
      }
    };
    try {
      for (const child of namedChildren(tree.rootNode)) {
        if (child.type === 'variable_assignment') this.topLevelAssignment(child, folders);
        else if (child.type === 'function_definition') this.functionDefinition(child);
        else if (child.type === 'declaration_command' && /^(?:export|readonly|declare|typeset)\b/.test(child.text))
          for (const part of namedChildren(child))
            if (part.type === 'variable_assignment') this.topLevelAssignment(part, folders);
        statement(child);
      }
    } finally {
      tree.delete();
    }
    return { variables: this.variables.snapshot(), files };
  }

  /** An assignment at the top level; a variable holding the script's folder (`DIR=$(dirname "$0")`) is kept too. */
  private topLevelAssignment(node: SyntaxNode, folders: Map<string, FolderOf>): void {
    this.assignment(node);
    const name = node.childForFieldName('name')?.text;
    const value = node.childForFieldName('value');
    if (!name) return;
    const decoded = value ? decodeWord(value, this.snippet, this.source).value : '';
    const prefix = scriptFolderPrefix(decoded);
    if (prefix && (prefix.rest === '' || prefix.rest === '/')) folders.set(name, prefix.folder);
    else folders.delete(name);
  }

  /** The file a `.`/`source` command reads, when its path is one a host can look up. */
  private sourcedBy(command: SyntaxNode, folders: ReadonlyMap<string, FolderOf>): SourcedFile | undefined {
    const name = command.childForFieldName('name');
    if (!name || (name.text !== '.' && name.text !== 'source')) return undefined;
    const argument = command.childrenForFieldName('argument')[0];
    if (!argument) return undefined;
    const word = decodeWord(argument, this.snippet, this.source);
    const found = sourcedPath(word.value, word.literal, folders);
    return found && { ...found, range: word.range };
  }

  /**
   * The `source` command of `if [ -f F ]; then . F; fi` (also `-e`, `-r`, `-s`, `test`, `[[ ]]`, the
   * same word F as written), which runs whenever the file exists; undefined for any other `if`.
   */
  private existenceGuarded(node: SyntaxNode): SyntaxNode | undefined {
    const parts = namedChildren(node).filter((p) => p.type !== 'comment');
    if (parts.some((p) => p.type === 'elif_clause' || p.type === 'else_clause')) return undefined;
    const [condition, ...body] = parts;
    if (!condition || body.length !== 1 || body[0]!.type !== 'command') return undefined;
    const argument = body[0]!.childrenForFieldName('argument')[0];
    const tested = /^(?:\[\[?|test)\s+-[efrs]\s+(.+?)\s*(?:\]\]?)?$/.exec(condition.text.replace(/;$/, '').trim());
    return argument && tested && tested[1] === argument.text ? body[0] : undefined;
  }

  run(): void {
    finishSteps(this.steps());
  }

  /**
   * The walk of this snippet, pausing when the pace says. The tree is deleted when the walk ends or
   * when the generator is closed early (`return()`): a host that abandons a stepped lint must close it.
   */
  *steps(): Generator<void, void, void> {
    if (this.snippet.text.trim() === '') return;
    const tree = this.parser.parse(this.snippet.text);
    try {
      if (this.pace) yield* this.pause(this.snippet.text.length / PARSED_CHARS_PER_NODE);
      // Ancestors travel with the walk: `node.parent` in the wasm binding searches from the root,
      // which makes a long script quadratic.
      if (this.snippet.origin === 'script' && this.snippet.depth === 0) yield* this.recordStatements(tree.rootNode);
      yield* this.walk(tree);
    } finally {
      tree.delete();
    }
    this.link();
  }

  /** Counts `nodes` of work against the pace, pausing when a step's worth is done. */
  private *pause(nodes: number): Generator<void, void, void> {
    const pace = this.pace!;
    pace.nodes += nodes;
    if (pace.nodes < pace.every) return;
    pace.nodes = 0;
    yield;
  }

  /**
   * Visits the named nodes in document order, not descending into comments and leaves. A tree
   * cursor reads node types without creating node objects; only nodes the walk may need as a
   * command, a redirection or an ancestor are created.
   */
  private *walk(tree: SyntaxTree): Generator<void, void, void> {
    const cursor = tree.walk();
    const text = this.snippet.text;
    const logged = (type: string) => (this.snippet.editable && CONTAINERS.has(type) ? [] : undefined);
    const pace = this.pace;
    try {
      const rootType = cursor.nodeType;
      let current: Ancestry = { node: cursor.currentNode, type: rootType, up: undefined, parts: logged(rootType) };
      let parent: Ancestry | undefined;
      let descend = true;
      for (;;) {
        if (descend && cursor.gotoFirstChild()) {
          parent = current;
        } else {
          while (!cursor.gotoNextSibling()) {
            if (!parent || !cursor.gotoParent()) return;
            current = parent;
            parent = parent.up;
          }
        }
        if (pace) yield* this.pause(1);
        if (this.resumeAt !== undefined && !parent?.up && this.snippet.offsets[cursor.startIndex]! >= this.resumeAt)
          this.resume();
        const type = cursor.nodeType;
        const named = cursor.nodeIsNamed;
        let part: StatementPart | undefined;
        if (parent?.parts) {
          part = { type, named, start: cursor.startIndex, end: cursor.endIndex };
          parent.parts.push(part);
        }
        if (type === 'variable_assignment') this.assignment(cursor.currentNode);
        else if (type === 'function_definition') this.functionDefinition(cursor.currentNode);
        descend =
          named &&
          type !== 'comment' &&
          !LEAVES.has(type) &&
          (!WORDS.has(type) || SUBSTITUTION.test(text.slice(cursor.startIndex, cursor.endIndex)));
        if (!descend) continue;
        const node = cursor.currentNode;
        current = { node, type, up: parent, parts: logged(type) };
        if (type === 'list' && part && current.parts) this.nestedLists.set(part, current.parts);
        if (type === 'command') {
          this.command(node, parent);
          // Inside a command, only a substitution holds another command and only `<`/`>` a redirection.
          descend = NESTS.test(text.slice(node.startIndex, cursor.endIndex));
        } else if (type === 'file_redirect') this.redirect(node);
      }
    } finally {
      cursor.delete();
    }
  }

  private *recordStatements(root: SyntaxNode): Generator<void, void, void> {
    const offsets = this.snippet.offsets;
    const statements: ScriptStatement[] = [];
    let suspect = false;
    for (const child of namedChildren(root)) {
      if (this.pace) yield* this.pause(1);
      if (child.type === 'comment' || child.endIndex <= child.startIndex) continue;
      // Error recovery may flatten a broken statement into fragments at the top: from the first
      // one that is not a statement on, nothing can be trusted to stand alone.
      suspect ||= child.hasError || !STATEMENTS.has(child.type);
      statements.push({ start: offsets[child.startIndex]!, end: offsets[child.endIndex - 1]! + 1, hasError: suspect });
    }
    if (root.hasError && !suspect) for (const statement of statements) statement.hasError = true;
    this.analysis.script = { statements };
  }

  /** A partial script's region starts: the variables earlier statements left take over (`ScriptVariables.from`). */
  private resume(): void {
    this.resumeAt = undefined;
    this.variables = new CommandVariables(this.scriptVariables?.sourced, this.scriptVariables?.from?.changes);
  }

  /**
   * Records a variable that holds a command or a path (see CommandVariables); the top-level
   * statement that assigns it keeps the change for incremental linting.
   */
  private assignment(node: SyntaxNode): void {
    const name = node.childForFieldName('name');
    const value = node.childForFieldName('value');
    if (!name || !value || name.type !== 'variable_name') return;
    const written = this.snippet.text.slice(value.startIndex, value.endIndex);
    const decoded = decodeWord(value, this.snippet, this.source);
    this.variables.assign(name.text, decoded, written);
    this.keepChanges(node.startIndex);
  }

  /** A function whose body runs `"$@"` runs its arguments: `run cp a /etc/b` is `cp a /etc/b`. */
  private functionDefinition(node: SyntaxNode): void {
    const name = node.childForFieldName('name');
    const body = node.childForFieldName('body');
    if (!name || !body || !/(?:^|[\s;{(&|])"\$@"/.test(this.snippet.text.slice(body.startIndex, body.endIndex))) return;
    const runsArguments = (n: SyntaxNode): boolean =>
      n.type === 'command'
        ? /^"?\$@"?$/.test(n.childForFieldName('name')?.text ?? '')
        : n.type !== 'function_definition' && namedChildren(n).some(runsArguments);
    if (!runsArguments(body)) return;
    this.variables.addRunner(name.text);
    this.keepChanges(node.startIndex);
  }

  /**
   * Gives the changes to the variables made at `snippetOffset` to the top-level statement there
   * (a script's own walk, in document order). A change no statement holds makes the statements
   * unfit to be analysed alone.
   */
  private keepChanges(snippetOffset: number): void {
    const changes = this.variables.takeChanges();
    const statements = this.analysis.script?.statements;
    if (changes.length === 0 || !statements || this.snippet.origin !== 'script' || this.snippet.depth !== 0) return;
    const offset = this.snippet.offsets[snippetOffset]!;
    let i = this.statementIndex;
    if (statements[i] && statements[i]!.start > offset) i = 0;
    while (i < statements.length && statements[i]!.end <= offset) i++;
    this.statementIndex = i;
    const statement = statements[i];
    if (statement && statement.start <= offset) (statement.variables ??= []).push(...changes);
    else for (const s of statements) s.hasError = true;
  }

  private word(node: SyntaxNode): ShellWord {
    const word = decodeWord(node, this.snippet, this.source);
    // Only `$(…)`, backquotes, `<(…)` and `>(…)` hold commands: other words need no descent. A
    // substitution's text is kept as written in the word's value, so the value tells.
    if (!SUBSTITUTION.test(word.value)) return word;
    const stack = [node];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n.type === 'command_substitution' || n.type === 'process_substitution')
        this.substitutionSpans.push({ word, start: n.startIndex, end: n.endIndex });
      else stack.push(...namedChildren(n));
    }
    return word;
  }

  private command(node: SyntaxNode, up: Ancestry | undefined): void {
    const name = node.childForFieldName('name');
    if (!name) return;
    const words = [this.word(name)];
    for (const argument of node.childrenForFieldName('argument')) if (argument) words.push(this.word(argument));
    let statement = node;
    let statementUp = up;
    let stdin: ShellWord | undefined;
    if (up?.type === 'redirected_statement') {
      statement = up.node;
      statementUp = up.up;
      const body = children(statement)
        .find((c) => c.type === 'heredoc_redirect')
        ?.namedChildren.find((c) => c?.type === 'heredoc_body');
      if (body) stdin = rawWord(body.startIndex, body.endIndex, 'heredoc_body', this.snippet, this.source);
    }
    if (!stdin && this.inheritedStdin && statementUp?.type === 'program') stdin = this.inheritedStdin;
    const primary = this.expand(
      words,
      this.snippet.place,
      this.rangeOf(node.startIndex, node.endIndex),
      stdin,
      this.snippet.depth,
      this.scopeOf(statementUp),
    );
    this.primaries.set(node.id, primary);
    this.commandStarts.push({ start: node.startIndex, command: primary });
    const pipeline = statementUp?.type === 'pipeline' ? statementUp.node : undefined;
    if (pipeline) {
      const index = this.namedChildIdsOf(pipeline).indexOf(statement.id);
      const members = this.pipelines.get(pipeline.id) ?? [];
      members.push({ index, command: primary });
      this.pipelines.set(pipeline.id, members);
    } else if (statementUp?.parts) {
      // The statement is the last child of its parent the walk has passed.
      this.unplaced.push({ command: primary, up: statementUp, part: statementUp.parts[statementUp.parts.length - 1]! });
    }
  }

  /**
   * Sees through wrappers and follows nested payloads. Returns the command as written (after
   * wrappers); payload commands are added to the analysis on the way.
   */
  private expand(
    words: ShellWord[],
    place: ShellPlace,
    range: ShellCommand['range'],
    stdin: ShellWord | undefined,
    depth: number,
    scope: Pick<ShellCommand, 'scope' | 'scopeRange'>,
  ): ShellCommand {
    const resolved = this.variables
      .resolveCommand(words, this.source)
      .map((w) => this.variables.resolvePath(w, this.source));
    const { argv, wrappers } = stripWrappers(resolved);
    // Every field written, absent ones as undefined, in the order a cache hit writes them: all
    // commands share one shape, so the rules reading them stay monomorphic.
    const command: ShellCommand = {
      argv,
      wrappers,
      place,
      context: contextOf(place),
      range,
      snippet: this.snippet,
      stdin,
      siblings: undefined,
      pipeline: undefined,
      scope: scope.scope,
      scopeRange: scope.scopeRange,
    } satisfies Complete<ShellCommand>;
    this.analysis.commands.push(command);
    if (depth >= MAX_DEPTH || argv.length === 0) return command;
    const shell = shellInvocation(argv);
    if (shell?.kind === 'command') this.nested([shell.script], place, 'sh -c', depth);
    else if (shell?.kind === 'stdin' && stdin) this.nested([stdin], place, 'heredoc', depth);
    const su = suScript(argv);
    if (su) this.nested([su], place, 'su -c', depth);
    const evaluated = evalPayload(argv);
    if (evaluated) this.nested(evaluated, place, 'eval', depth);
    const ssh = sshRemote(argv);
    if (ssh) {
      if (ssh.remote.length > 0) this.nested(ssh.remote, 'remote-host', 'ssh', depth, stdin);
      else if (stdin) this.nested([stdin], 'remote-host', 'ssh', depth);
    }
    const payload = dockerExecPayload(argv) ?? kubectlExecPayload(argv);
    if (payload && payload.length > 0) {
      const first = payload[0]!.range.start;
      const last = payload[payload.length - 1]!.range.end;
      this.expand(payload, 'container', { start: first, end: last }, stdin, depth + 1, {
        scope: 'subshell',
        scopeRange: undefined,
      });
    }
    return command;
  }

  /** Parses words as shell code (joined by spaces, as `ssh` and `sh -c` receive them). */
  private nested(
    words: readonly ShellWord[],
    place: ShellPlace,
    origin: string,
    depth: number,
    stdin?: ShellWord,
  ): void {
    const builder = new SnippetBuilder();
    words.forEach((word, i) => {
      if (i > 0) builder.synthetic(' ', word.offsets[0] ?? 0);
      builder.mapped(word.value, word.offsets);
    });
    const last = words[words.length - 1]!;
    const snippet = builder.build(last.offsets[last.offsets.length - 1]!, {
      place,
      origin,
      editable: false,
      depth: depth + 1,
    });
    new SnippetWalker(this.parser, snippet, this.source, this.analysis, stdin).run();
  }

  private redirect(node: SyntaxNode): void {
    const operator = children(node).find((c) => !c.isNamed)?.type;
    const destination = node.childForFieldName('destination');
    if (!operator || !WRITE_OPERATORS.has(operator) || !destination) return;
    this.analysis.redirects.push({
      operator,
      target: this.variables.resolvePath(this.word(destination), this.source),
      place: this.snippet.place,
      context: contextOf(this.snippet.place),
      range: this.rangeOf(node.startIndex, node.endIndex),
    });
  }

  /** The scope of a command whose statement's parent is `up` (see ShellScope). */
  private scopeOf(up: Ancestry | undefined): Pick<ShellCommand, 'scope' | 'scopeRange'> {
    let scope: ShellScope = 'snippet';
    for (let a = up; a; a = a.up) {
      if (OWN_PROCESS.has(a.type))
        return { scope: 'subshell', scopeRange: this.rangeOf(a.node.startIndex, a.node.endIndex) };
      if (!SNIPPET_LEVEL.has(a.type)) scope = 'branch';
    }
    return { scope, scopeRange: undefined };
  }

  private rangeOf(start: number, end: number): ShellCommand['range'] {
    const offsets = this.snippet.offsets;
    const s = offsets[start]!;
    const e = end > start ? offsets[end - 1]! + 1 : s;
    return this.source.rangeOf(s, Math.max(s, e));
  }

  /** Ids of the named children of a node, computed once per node per snippet. */
  private namedChildIdsOf(node: SyntaxNode): number[] {
    let ids = this.namedChildIds.get(node.id);
    if (!ids) {
      ids = children(node)
        .filter((c) => c.isNamed)
        .map((c) => c.id);
      this.namedChildIds.set(node.id, ids);
    }
    return ids;
  }

  /** Gives each unpiped command of an editable snippet its siblings, now that the walk has passed them all. */
  private place(): void {
    const flattened = new Map<StatementPart[], StatementPart[]>();
    const flatten = (parts: readonly StatementPart[], into: StatementPart[]): StatementPart[] => {
      for (const part of parts) {
        const nested = part.type === 'list' ? this.nestedLists.get(part) : undefined;
        if (nested) flatten(nested, into);
        else into.push(part);
      }
      return into;
    };
    for (const { command, up, part } of this.unplaced) {
      if (up.type !== 'list') {
        command.siblings = { kind: 'block', parts: up.parts!, index: up.parts!.indexOf(part) };
        continue;
      }
      let outermost = up;
      while (outermost.up?.type === 'list') outermost = outermost.up;
      let parts = flattened.get(outermost.parts!);
      if (!parts) flattened.set(outermost.parts!, (parts = flatten(outermost.parts!, [])));
      command.siblings = { kind: 'list', parts, index: parts.indexOf(part) };
    }
  }

  /** Fills pipelines and substitutions once every command of the snippet is known. */
  private link(): void {
    this.place();
    for (const members of this.pipelines.values()) {
      const ordered = members.sort((a, b) => a.index - b.index).map((m) => m.command);
      if (ordered.length > 1) for (const command of ordered) command.pipeline = ordered;
    }
    if (this.substitutionSpans.length === 0) return;
    const starts = [...this.commandStarts].sort((a, b) => a.start - b.start);
    for (const { word, start, end } of this.substitutionSpans) {
      const first = lowerBound(starts.length, (i) => starts[i]!.start >= start);
      for (let i = first; i < starts.length && starts[i]!.start < end; i++) word.substitutions.push(starts[i]!.command);
    }
  }
}

/** Ancestors that keep a statement the snippet's own: a `cd` there holds for every later statement. */
const SNIPPET_LEVEL = new Set(['program', 'list', 'redirected_statement']);
/** Ancestors whose statements run in their own process (or later, as a function): a `cd` there ends there. */
const OWN_PROCESS = new Set([
  'subshell',
  'pipeline',
  'command_substitution',
  'process_substitution',
  'function_definition',
]);

/** Runs steps to the end without pausing. */
function finishSteps<R>(steps: Generator<void, R, void>): R {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
