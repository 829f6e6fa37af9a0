#!/usr/bin/env node
import { DriftGuardServer } from './server';
import { IS_SCAN_WORKER } from '../cli/scanWorker';
import { prepareHostRuntime } from '../hostRuntime';
import { connectionFromCommandLine } from './transport';
import { letWorkersSizeTheirYoungGeneration } from './nodeFlags';

/**
 * Language server entry. The transport comes from the command line (see `connectionFromCommandLine`).
 *
 * The workspace scan's worker threads load this same file (bundled, it is the only one there is);
 * importing scanWorker starts serving the scan in them, and no connection is made there.
 */
if (!IS_SCAN_WORKER) {
  // Compiler flags and library patches, measured: see hostRuntime.ts.
  prepareHostRuntime();
  letWorkersSizeTheirYoungGeneration();
  const connection = connectionFromCommandLine();
  new DriftGuardServer(connection).register();
  connection.listen();
}
