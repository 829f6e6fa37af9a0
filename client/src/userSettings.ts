import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DidChangeUserSettingsNotification, type DidChangeUserSettingsParams } from '../../server/src/lsp/protocol';
import type { UserSettingsWire } from '../../server/src/net/userSettings';

/** A setting's value in the user's own settings: workspace and folder values are never read. */
function userValue<T>(section: string, key: string): T | undefined {
  return vscode.workspace.getConfiguration(section).inspect<T>(key)?.globalValue;
}

/** The settings of the user-only channel; a change to any of them is sent to the server. */
const USER_SETTINGS = [
  'driftguard.online',
  'driftguard.registry.enable',
  'driftguard.registry.timeout',
  'driftguard.registry.insecure',
  'driftguard.registry.caFile',
  'driftguard.github',
  'driftguard.packages.mirrors',
  'http.proxy',
];

/**
 * The user-only settings channel (server/src/net/userSettings.ts), read from user scope only. The
 * settings are declared `application` or `machine` scope, which VS Code already keeps out of
 * workspace settings; reading `globalValue` keeps a committed `.vscode/settings.json` out even so.
 */
export function readUserSettings(): UserSettingsWire {
  return {
    online: userValue('driftguard', 'online'),
    registry: {
      enable: userValue('driftguard', 'registry.enable'),
      timeout: userValue('driftguard', 'registry.timeout'),
      insecure: userValue('driftguard', 'registry.insecure'),
      caFile: userValue('driftguard', 'registry.caFile'),
    },
    proxy: userValue('http', 'proxy'),
    github: { url: userValue('driftguard', 'github.url') },
    packages: { mirrors: userValue('driftguard', 'packages.mirrors') },
  };
}

/**
 * Tells the running server when the user changes a user-only setting or grants workspace trust
 * (which VS Code does without restarting extensions): both apply at once.
 */
export function watchUserSettings(context: vscode.ExtensionContext, holder: { client: LanguageClient }): void {
  const send = (params: DidChangeUserSettingsParams): void => {
    if (holder.client.isRunning()) void holder.client.sendNotification(DidChangeUserSettingsNotification, params);
  };
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (USER_SETTINGS.some((section) => event.affectsConfiguration(section)))
        send({ userSettings: readUserSettings() });
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => send({ trusted: true, userSettings: readUserSettings() })),
  );
}
