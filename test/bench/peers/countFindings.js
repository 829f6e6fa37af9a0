'use strict';
/**
 * Runs a peer linter over the Dockerfiles listed in LISTFILE (argv[2], one path a line) in one
 * process and prints `{ files, findings, crashes }` as JSON: `lintOne(path, text)` returns the
 * findings of one file; a file that makes it throw is counted, not fatal.
 */
const fs = require('node:fs');

function countFindings(lintOne) {
  const files = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
  let findings = 0;
  let crashes = 0;
  for (const file of files) {
    try {
      findings += lintOne(file, fs.readFileSync(file, 'utf8')).length;
    } catch {
      crashes++;
    }
  }
  process.stdout.write(JSON.stringify({ files: files.length, findings, crashes }) + '\n');
}

module.exports = { countFindings };
