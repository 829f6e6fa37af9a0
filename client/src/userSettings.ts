import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DidChangeUserSettingsNotification } from '../../server/src/lsp/protocol';
import type { UserSettingsWire } from '../../server/src/net/userSettings';

/** A setting's value in the user's own settings: workspace and folder values are never read. */
function userValue<T>(section: string, key: string): T | undefined {
  return vscode.workspace.getConfiguration(section).inspect<T>(key)?.globalValue;
}

/**
 * The user-only settings channel (server/src/net/userSettings.ts), read from user scope only. The
 * settings are declared `application` scope, which VS Code already keeps out of workspace
 * settings; reading `globalValue` keeps a committed `.vscode/settings.json` out even so.
 */
export function readUserSettings(): UserSettingsWire {
  return { github: { url: userValue('driftguard', 'github.url') } };
}

/** Tells the running server when the user changes a setting of the user-only channel. */
export function watchUserSettings(context: vscode.ExtensionContext, holder: { client: LanguageClient }): void {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('driftguard.github') || !holder.client.isRunning()) return;
      void holder.client.sendNotification(DidChangeUserSettingsNotification, { userSettings: readUserSettings() });
    }),
  );
}
