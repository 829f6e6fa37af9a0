#!/usr/bin/env node
import * as path from 'node:path';
import { setHostV8Flags } from '../v8Flags';
import { runBundle } from './codeCache';

/**
 * dist/cli.js: runs the CLI's bundle (dist/cli.bundle.js) from V8's code cache (see codeCache.ts);
 * scan workers start from this file too. The flags first: V8 checks them against the cache's.
 */
setHostV8Flags();
runBundle({ module, require, filename: __filename }, path.join(__dirname, 'cli.bundle.js'));
