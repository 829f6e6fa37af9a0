import * as vscode from 'vscode';
import { createClient } from './client';
import { registerCommands } from './commands';

/** Activation: start the language server and register the commands. Nothing else runs here. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('DriftGuard', { log: true });
  context.subscriptions.push(output);
  const holder = { client: createClient(context, output) };
  registerCommands(context, holder, output);
  context.subscriptions.push({ dispose: () => void holder.client.stop() });
  await holder.client.start();
}

export function deactivate(): void {
  /* the client is stopped through context.subscriptions */
}
