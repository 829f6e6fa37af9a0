#!/usr/bin/env node
'use strict';
/**
 * Peer: dockerfile-utils `validate()` over many Dockerfiles in one process (its CLI lints one file
 * per process). Usage: node dockerfileUtils.js LISTFILE (one path a line). Prints a JSON summary.
 */
const fs = require('node:fs');
const { validate } = require('dockerfile-utils');

const files = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
let findings = 0;
let crashes = 0;
for (const file of files) {
  try {
    findings += validate(fs.readFileSync(file, 'utf8')).length;
  } catch {
    crashes++;
  }
}
process.stdout.write(JSON.stringify({ files: files.length, findings, crashes }) + '\n');
