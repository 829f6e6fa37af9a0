#!/usr/bin/env node
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { DriftGuardServer } from './server';

/**
 * Language server entry. The transport comes from the command line, as vscode-languageserver reads
 * it: `--node-ipc` (VS Code), `--stdio` (Neovim, Helix, Emacs…), or `--socket=PORT`.
 */
const connection = createConnection(ProposedFeatures.all);
new DriftGuardServer(connection).register();
connection.listen();
