import * as fs from 'node:fs';
import * as path from 'node:path';
import { initShellAnalyzer } from './shell';

/**
 * One-time asynchronous set-up of the analysers (loading the WASM shell grammar); hosts (CLI,
 * language server, tests) await it before linting. Linting itself is synchronous. In the bundle the
 * grammars sit next to the script (dist/); from compiled sources they come from node_modules.
 */
let ready: Promise<void> | undefined;

export function initAnalyzers(): Promise<void> {
  ready ??= initShellAnalyzer(bundledGrammars());
  return ready;
}

function bundledGrammars(): { treeSitterWasm?: string; bashWasm?: string } {
  const treeSitterWasm = path.join(__dirname, 'tree-sitter.wasm');
  const bashWasm = path.join(__dirname, 'tree-sitter-bash.wasm');
  return fs.existsSync(treeSitterWasm) && fs.existsSync(bashWasm) ? { treeSitterWasm, bashWasm } : {};
}
