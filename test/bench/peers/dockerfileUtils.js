#!/usr/bin/env node
'use strict';
/**
 * Peer: dockerfile-utils `validate()` over many Dockerfiles in one process (its CLI lints one file
 * per process). Usage: node dockerfileUtils.js LISTFILE (one path a line). Prints a JSON summary.
 */
const { validate } = require('dockerfile-utils');
const { countFindings } = require('./countFindings');

countFindings((_file, text) => validate(text));
