import { setFlagsFromString } from 'node:v8';
import { Language, Parser } from 'web-tree-sitter';
import type { Node, Tree } from 'web-tree-sitter';

export type { Node as SyntaxNode, Tree as SyntaxTree } from 'web-tree-sitter';

/** Where the two wasm files live; hosts that bundle the server pass the copies next to the bundle. */
export interface ShellAnalyzerOptions {
  /** `tree-sitter.wasm` of web-tree-sitter (default: resolved from node_modules). */
  treeSitterWasm?: string;
  /** `tree-sitter-bash.wasm` of tree-sitter-bash (default: resolved from node_modules). */
  bashWasm?: string;
}

/**
 * V8 flag that keeps WebAssembly on the baseline compiler (Liftoff). Tiering the grammar's big
 * lexer and parser functions up to the optimising compiler runs on background threads that compete
 * with linting for the CPU, and their scratch memory (40–60 MB) stays resident afterwards as freed
 * malloc memory: a third of the language server's RSS. Baseline code parses shell about a quarter
 * slower, yet a Dockerfile scan is about 8 % faster and keystroke latency is unchanged.
 */
const WASM_BASELINE_ONLY = '--liftoff-only';

let parser: Parser | undefined;
let initialising: Promise<void> | undefined;

/**
 * Loads the bash grammar (async, wasm). Hosts call it once at startup, before the first lint;
 * afterwards every analysis is synchronous. Calling it again is harmless.
 */
export function initShellAnalyzer(options: ShellAnalyzerOptions = {}): Promise<void> {
  initialising ??= (async () => {
    // Set before the grammar is compiled, in every host (CLI, language server, any editor's spawn).
    setFlagsFromString(WASM_BASELINE_ONLY);
    const treeSitterWasm = options.treeSitterWasm ?? require.resolve('web-tree-sitter/tree-sitter.wasm');
    await Parser.init({ locateFile: () => treeSitterWasm });
    const language = await Language.load(options.bashWasm ?? require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'));
    const created = new Parser();
    created.setLanguage(language);
    parser = created;
  })().catch((error: unknown) => {
    initialising = undefined;
    throw error;
  });
  return initialising;
}

export function isShellAnalyzerReady(): boolean {
  return parser !== undefined;
}

/**
 * Parses bash text; the caller must `delete()` the tree once done (it lives in wasm memory).
 * Throws when `initShellAnalyzer` has not completed: the engine reports it as an internal error.
 */
export function parseBash(text: string): Tree {
  if (!parser) throw new Error('shell analyser not initialised: call initShellAnalyzer() before linting');
  const tree = parser.parse(text);
  if (!tree) throw new Error('tree-sitter-bash returned no tree');
  return tree;
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
