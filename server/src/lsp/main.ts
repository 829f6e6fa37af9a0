#!/usr/bin/env node
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { DriftGuardServer } from './server';
import { IS_SCAN_WORKER } from '../cli/scanWorker';
import { prepareHostRuntime } from '../hostRuntime';

/**
 * Language server entry. The transport comes from the command line, as vscode-languageserver reads
 * it: `--node-ipc` (VS Code), `--stdio` (Neovim, Helix, Emacs…), or `--socket=PORT`.
 *
 * The workspace scan's worker threads load this same file (bundled, it is the only one there is);
 * importing scanWorker starts serving the scan in them, and no connection is made there.
 */
if (!IS_SCAN_WORKER) {
  // Compiler flags and library patches, measured: see hostRuntime.ts.
  prepareHostRuntime();
  const connection = createConnection(ProposedFeatures.all);
  new DriftGuardServer(connection).register();
  connection.listen();
}
