#!/usr/bin/env node
'use strict';
/**
 * Peer: dockerfilelint over many Dockerfiles in one process, as its CLI does (`dockerfilelint -j
 * FILES…` reads each file and calls `run(dir, content)`), except that a file that makes it throw is
 * counted instead of aborting the whole run (the CLI dies on the first such file).
 * Usage: node dockerfilelint.js LISTFILE (one path a line). Prints a JSON summary.
 */
const fs = require('node:fs');
const path = require('node:path');
const dockerfilelint = require('dockerfilelint');

const files = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
let findings = 0;
let crashes = 0;
for (const file of files) {
  try {
    findings += dockerfilelint.run(path.dirname(file), fs.readFileSync(file, 'utf8')).length;
  } catch {
    crashes++;
  }
}
process.stdout.write(JSON.stringify({ files: files.length, findings, crashes }) + '\n');
