import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { initShellAnalyzer } from './shell';
import { buildScriptPaths, entrypointScriptPaths, startupScriptSources } from './shell/buildScripts';
import { DockerfileModel } from './model/dockerfile';
import { SourceText } from './model/positions';
import { setScriptFinder } from './workspace/buildScriptIndex';

/**
 * One-time asynchronous set-up of the analysers (loading the WASM shell grammar); hosts (CLI,
 * language server, tests) await it before linting. Linting itself is synchronous. In the bundle the
 * grammars sit next to the script (dist/); from compiled sources they come from node_modules.
 */
let ready: Promise<void> | undefined;

export function initAnalyzers(): Promise<void> {
  ready ??= (async () => {
    await initShellAnalyzer(bundledGrammars());
    setScriptFinder((dockerfile) => {
      const model =
        dockerfile.model ??
        new DockerfileModel(new SourceText(pathToFileURL(dockerfile.path).toString(), dockerfile.text));
      return {
        build: buildScriptPaths(model),
        entrypoint: entrypointScriptPaths(model),
        startup: startupScriptSources(model),
      };
    });
  })();
  return ready;
}

function bundledGrammars(): { treeSitterWasm?: string; bashWasm?: string } {
  const treeSitterWasm = path.join(__dirname, 'tree-sitter.wasm');
  const bashWasm = path.join(__dirname, 'tree-sitter-bash.wasm');
  return fs.existsSync(treeSitterWasm) && fs.existsSync(bashWasm) ? { treeSitterWasm, bashWasm } : {};
}
