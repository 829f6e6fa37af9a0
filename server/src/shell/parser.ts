import { readFile } from 'node:fs/promises';
// Required, not imported: bundled, a require takes web-tree-sitter's CommonJS build (the one compiled
// sources load), whose start makes no dynamic import() — the ES module build's does, which code run
// from V8's code cache cannot make (launch/codeCache.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
import TreeSitter = require('web-tree-sitter');
import type { Language, Node, Tree } from 'web-tree-sitter';
import { installDirectWordAccess } from './wordAccess';

export type { Node as SyntaxNode, Tree as SyntaxTree } from 'web-tree-sitter';

/** Where the two wasm files live; hosts that bundle the server pass the copies next to the bundle. */
export interface ShellAnalyzerOptions {
  /** `tree-sitter.wasm` of web-tree-sitter (default: resolved from node_modules). */
  treeSitterWasm?: string;
  /** `tree-sitter-bash.wasm` of tree-sitter-bash (default: resolved from node_modules). */
  bashWasm?: string;
  /** Trees the parser keeps (see `BashParser`; default `KEPT_TREES`). */
  keptTrees?: number;
}

/**
 * A bash parser: tree-sitter-bash in WebAssembly. Parsing is synchronous.
 *
 * The trees of the last texts parsed are kept (`keptTrees`, until other texts are parsed), so parsing
 * one of those texts again soon gives a copy of it (tree-sitter's `ts_tree_copy`: the nodes are shared,
 * nothing is parsed). A script's first lint in the editor parses it for what it sources
 * (`ShellAnalyzer.sourcing`) and right after for its analysis: the second parse of the bench's
 * 3,000-line script (about a third of the CPU from opening it to its diagnostics) is gone.
 */
export class BashParser {
  /** The kept trees, the text parsed or asked for last first. */
  private readonly kept: Array<{ text: string; tree: Tree }> = [];
  /** Trees held by `holdTrees`, by text, until the first parse of their text after the holding or `dropHeld`. */
  private readonly held = new Map<string, Tree>();
  /** Characters of text of the held trees, and how many they may reach (0: none are held). */
  private heldText = 0;
  private holdLimit = 0;

  constructor(
    private readonly parser: TreeSitter.Parser,
    private readonly keptTrees = KEPT_TREES,
  ) {}

  /** Parses bash text; the caller must `delete()` the tree once done (it lives in wasm memory). */
  parse(text: string): Tree {
    const held = this.held.get(text);
    if (held && this.holdLimit > 0) return held.copy();
    if (held) {
      // The first parse of its text once the holding is over (the lint's): kept like a tree just parsed.
      this.held.delete(text);
      this.heldText -= text.length;
      if (!this.kept.some((k) => k.text === text)) {
        this.keep(text, held);
        return held.copy();
      }
      held.delete();
    }
    const i = this.kept.findIndex((k) => k.text === text);
    if (i >= 0) {
      const hit = this.kept[i]!;
      if (i > 0) this.kept.unshift(...this.kept.splice(i, 1));
      return hit.tree.copy();
    }
    const tree = this.parser.parse(text);
    if (!tree) throw new Error('tree-sitter-bash returned no tree');
    this.keep(text, tree.copy());
    if (this.holdLimit > 0 && this.heldText + text.length <= this.holdLimit) {
      this.held.set(text, tree.copy());
      this.heldText += text.length;
    }
    return tree;
  }

  private keep(text: string, tree: Tree): void {
    this.kept.unshift({ text, tree });
    if (this.kept.length > this.keptTrees) this.kept.pop()!.tree.delete();
  }

  /**
   * Until `stopHolding`, the tree of each text parsed is also held (up to `maxText` characters of
   * text in all), and the first parse of the same text after that takes it instead of parsing: for a
   * host whose passes over the files parse scripts that their lints, later on the same thread, parse
   * again (the CLI: the scripts that name a build, copy scripts or run them in containers). The trees
   * live in wasm memory: a host that holds some frees the ones left with `dropHeld`.
   */
  holdTrees(maxText: number): void {
    this.holdLimit = maxText;
  }

  /** Parses from now on are not held (the held ones still serve their text's next parse). */
  stopHolding(): void {
    this.holdLimit = 0;
  }

  /** Frees the held trees that no parse took. */
  dropHeld(): void {
    for (const tree of this.held.values()) tree.delete();
    this.held.clear();
    this.heldText = 0;
    this.holdLimit = 0;
  }
}

/**
 * Trees a parser keeps by default. Two: a scan reads the files a script sources right before its lint,
 * and a script whose sourced file had not been read yet was parsed, then the file, then the script
 * again for its lint. The corpus's 1,635 scripts as a file list: 56 fewer parses (4.58 → 4.46 MB
 * parsed); a third tree would save 30 more (17 KB). Each tree kept can hold a large document's parse
 * in wasm memory, which never shrinks (about 2 MB for a 3,000-line script).
 */
export const KEPT_TREES = 2;

/**
 * The WebAssembly runtime and the grammar, loaded once per process (web-tree-sitter's runtime is
 * per process; the grammar is immutable and shared by every parser made from it).
 */
const grammars = new Map<string, Promise<Language>>();

/** Whether web-tree-sitter's runtime moves 32-bit words directly (see `installDirectWordAccess`). */
let directWordAccess = false;

/** Whether the runtime loaded by `initShellAnalyzer` has the direct path for 32-bit words. */
export function usesDirectWordAccess(): boolean {
  return directWordAccess;
}

/**
 * Loads the bash grammar (async, wasm) and returns a parser for it. Hosts call it once at start-up,
 * through the composition root (createEngine); afterwards every analysis is synchronous.
 */
export async function initShellAnalyzer(options: ShellAnalyzerOptions = {}): Promise<BashParser> {
  const treeSitterWasm = options.treeSitterWasm ?? require.resolve('web-tree-sitter/tree-sitter.wasm');
  const bashWasm = options.bashWasm ?? require.resolve('tree-sitter-bash/tree-sitter-bash.wasm');
  const key = `${treeSitterWasm}\0${bashWasm}`;
  let grammar = grammars.get(key);
  if (!grammar) {
    grammar = (async () => {
      const runtime = { locateFile: () => treeSitterWasm };
      await TreeSitter.Parser.init(runtime);
      directWordAccess ||= installDirectWordAccess(runtime);
      // The grammar's bytes, not its path: given a path, web-tree-sitter reads it through a dynamic
      // import() of fs/promises, which a bundle run from V8's code cache (launch/codeCache.ts) cannot make.
      return TreeSitter.Language.load(await readFile(bashWasm));
    })();
    grammars.set(key, grammar);
    void grammar.catch(() => grammars.delete(key));
  }
  const language = await grammar;
  const parser = new TreeSitter.Parser();
  parser.setLanguage(language);
  return new BashParser(parser, options.keptTrees);
}

/** Named children of a node (skipping nulls the binding may return). */
export function namedChildren(node: Node): Node[] {
  // One call into wasm for all children: indexing with namedChild(i) walks from the first child
  // each time, which is quadratic on a long script.
  return node.namedChildren.filter((c): c is Node => c !== null);
}

/** All children, anonymous tokens included. */
export function children(node: Node): Node[] {
  return node.children.filter((c): c is Node => c !== null);
}
