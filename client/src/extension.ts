import * as vscode from 'vscode';
import { createClient } from './client';
import { registerCommands } from './commands';
import { watchUserSettings } from './userSettings';

/**
 * Activation: start the language server and register the commands. Nothing else runs here.
 * The server starts in the background so activation returns at once; requests the commands send
 * wait for the client to be running (vscode-languageclient queues them until it is).
 */
export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('DriftGuard', { log: true });
  context.subscriptions.push(output);
  const holder = { client: createClient(context, output) };
  registerCommands(context, holder, output);
  watchUserSettings(context, holder);
  context.subscriptions.push({ dispose: () => void holder.client.stop() });
  holder.client
    .start()
    .catch((error: unknown) =>
      output.error(
        `DriftGuard: the language server did not start: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
}

export function deactivate(): void {
  /* the client is stopped through context.subscriptions */
}
