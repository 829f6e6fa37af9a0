import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from './engine/engine';
import type { Rule } from './engine/rule';
import type { FileKind } from './engine/types';
import { FILE_KINDS, KindRegistry } from './kinds';
import { RULES } from './rules';
import { BashParser, initShellAnalyzer, ShellAnalyzer, SnippetCache } from './shell';

export interface EngineOptions<K extends string> {
  /** Default: every rule. */
  rules?: readonly Rule[];
  /** Default: the built-in kinds. */
  kinds?: KindRegistry<K>;
  /**
   * The host's cache of recent snippet analyses (Dockerfiles of one project repeat RUN lines);
   * `false`: none, every snippet analysed afresh. Default: a new cache, owned by this engine.
   */
  snippetCache?: SnippetCache | false;
  /** Trees the bash parser keeps for texts parsed again (see `BashParser`); default its own. */
  keptTrees?: number;
}

/**
 * The composition root: every host (the CLI, each scan worker, the language server, tests) builds
 * its engine here, once, before linting. Loading the shell grammar is the only asynchronous step;
 * linting is synchronous afterwards.
 */
export async function createEngine(): Promise<Engine>;
export async function createEngine<K extends string>(
  options: EngineOptions<K> & { kinds: KindRegistry<K> },
): Promise<Engine<K>>;
export async function createEngine(options: EngineOptions<FileKind>): Promise<Engine>;
export async function createEngine(options: EngineOptions<string> = {}): Promise<Engine<string>> {
  const cache = options.snippetCache === false ? undefined : (options.snippetCache ?? new SnippetCache());
  return new Engine({
    rules: options.rules ?? RULES,
    kinds: options.kinds ?? FILE_KINDS,
    shell: new ShellAnalyzer(await loadBashParser(options.keptTrees), cache),
  });
}

/**
 * A bash parser. In the bundle the grammars sit next to the script (dist/); from compiled sources
 * they come from node_modules.
 */
export function loadBashParser(keptTrees?: number): Promise<BashParser> {
  const treeSitterWasm = path.join(__dirname, 'tree-sitter.wasm');
  const bashWasm = path.join(__dirname, 'tree-sitter-bash.wasm');
  return initShellAnalyzer({
    ...(fs.existsSync(treeSitterWasm) && fs.existsSync(bashWasm) ? { treeSitterWasm, bashWasm } : {}),
    ...(keptTrees !== undefined ? { keptTrees } : {}),
  });
}
