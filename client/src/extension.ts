import * as vscode from 'vscode';
import { createClient } from './client';
import { registerCommands } from './commands';
import { watchUserSettings } from './userSettings';
import { registerHelpCommands } from './helpCommands';
import { showStatusMenu, StatusBar, STATUS_MENU_COMMAND } from './statusBar';

/**
 * Activation: start the language server and register the commands. Nothing else runs here.
 * The server starts in the background so activation returns at once; requests the commands send
 * wait for the client to be running (vscode-languageclient queues them until it is).
 */
export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('DriftGuard', { log: true });
  context.subscriptions.push(output);
  const holder = { client: createClient(context, output) };
  const status = new StatusBar(() => holder.client);
  context.subscriptions.push(status, vscode.commands.registerCommand(STATUS_MENU_COMMAND, showStatusMenu));
  status.watch(holder.client);
  registerCommands(context, holder, output, (client) => status.watch(client));
  registerHelpCommands(context, () => holder.client, output);
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
