#!/usr/bin/env node
'use strict';
/**
 * The read+parse floor of the benchmark: reads every file of a list and parses it with the parsers
 * the engine uses (dockerfile-ast, yaml parseDocument with the engine's options, jsonc-parser for dev
 * containers, tree-sitter-bash as the engine loads it), running no rules. The shell embedded in CI
 * files (`run:`, `script:`, lifecycle commands) is not parsed here: the floor of those kinds is their
 * YAML/JSON alone. Usage: node floor.js LISTFILE   (one "kind<TAB>path" a line)
 * Prints {"files":N,"bytes":N,"ms":N} on stdout.
 */
const fs = require('node:fs');
const path = require('node:path');

const started = performance.now();
const OUT = path.resolve(__dirname, '../../out/server/src');
const { decodeSource } = require(path.join(OUT, 'workspace/readSource.js'));
const { prepareHostRuntime } = require(path.join(OUT, 'hostRuntime.js'));
const { loadBashParser } = require(path.join(OUT, 'createEngine.js'));
const { DockerfileParser } = require('dockerfile-ast');
const { parseDocument, LineCounter } = require('yaml');
const { parseTree } = require('jsonc-parser');

/** The kinds whose files are YAML documents. */
const YAML_KINDS = new Set(['compose', 'workflow', 'action', 'gitlab-ci']);

async function main() {
  const list = fs
    .readFileSync(process.argv[2], 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'));
  // As the CLI sets up its process (compiler flags, parser patches) before it parses anything.
  prepareHostRuntime();
  const parser = await loadBashParser();
  const parseBash = (text) => parser.parse(text);
  let bytes = 0;
  let files = 0;
  for (const [kind, file] of list) {
    const raw = fs.readFileSync(file);
    bytes += raw.length;
    const read = decodeSource(raw);
    if (!('text' in read)) continue;
    files++;
    if (kind === 'dockerfile') DockerfileParser.parse(read.text);
    else if (YAML_KINDS.has(kind))
      parseDocument(read.text, {
        lineCounter: new LineCounter(),
        merge: true,
        uniqueKeys: false,
        prettyErrors: false,
        strict: false,
      });
    else if (kind === 'devcontainer') parseTree(read.text, [], { allowTrailingComma: true, disallowComments: false });
    else if (kind === 'shell') parseBash(read.text).delete();
  }
  process.stdout.write(JSON.stringify({ files, bytes, ms: performance.now() - started, shellParsed: true }) + '\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
