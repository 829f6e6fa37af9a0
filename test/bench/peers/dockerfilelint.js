#!/usr/bin/env node
'use strict';
/**
 * Peer: dockerfilelint over many Dockerfiles in one process, as its CLI does (`dockerfilelint -j
 * FILES…` reads each file and calls `run(dir, content)`), except that a file that makes it throw is
 * counted instead of aborting the whole run (the CLI dies on the first such file).
 * Usage: node dockerfilelint.js LISTFILE (one path a line). Prints a JSON summary.
 */
const path = require('node:path');
const dockerfilelint = require('dockerfilelint');
const { countFindings } = require('./countFindings');

countFindings((file, text) => dockerfilelint.run(path.dirname(file), text));
