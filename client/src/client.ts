import * as path from 'node:path';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { SERVER_NODE_FLAGS } from '../../server/src/lsp/nodeFlags';
import { CLIENT_COMMANDS, type DriftGuardInitializationOptions } from '../../server/src/lsp/protocol';
import { DOCUMENT_SELECTOR } from './documentSelector';
import { readUserSettings } from './userSettings';

/** The bundled server (`dist/server.js`) in a packaged extension, the compiled one in development. */
function serverModule(context: vscode.ExtensionContext): string {
  const bundled = context.asAbsolutePath(path.join('dist', 'server.js'));
  return fs.existsSync(bundled) ? bundled : context.asAbsolutePath(path.join('out', 'server', 'src', 'lsp', 'main.js'));
}

export function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = serverModule(context);
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS] } },
    debug: {
      module,
      transport: TransportKind.ipc,
      options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6019'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    synchronize: {
      configurationSection: 'driftguard',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{.driftguard.yaml,.driftguard.yml,.env}'),
    },
    initializationOptions: {
      trusted: vscode.workspace.isTrusted,
      userSettings: readUserSettings(),
      watchesFiles: true,
      cacheDir: context.globalStorageUri.fsPath,
      commands: Object.values(CLIENT_COMMANDS),
    } satisfies DriftGuardInitializationOptions,
    // Hovers may link to these commands only (the "Look up again" link after a failed lookup).
    markdown: { isTrusted: { enabledCommands: [CLIENT_COMMANDS.lookUpAgain] } },
    middleware: {
      // VS Code keeps only the edit and command of a resolved code action, not `disabled`: a pin whose
      // registry lookup fails when picked would silently do nothing. Say why instead.
      resolveCodeAction: async (item, token, next) => {
        const resolved = await next(item, token);
        if (resolved?.disabled && !resolved.edit && !resolved.command) {
          // An action pin asks the git server (docs/actions.md), an image pin the registry (docs/registry.md).
          const actionPin = (resolved as { data?: { kind?: unknown } }).data?.kind === 'driftguard.actionPin';
          const docs = actionPin ? 'Actions Docs' : 'Registry Docs';
          void vscode.window
            .showWarningMessage(
              // A retry's title already ends in the reason: say it once.
              `DriftGuard: ${resolved.title.replace(/ — try again \(.*\)$/, '')}: ${resolved.disabled.reason}`,
              docs,
              'Show Output',
            )
            .then((choice) => {
              if (choice === docs)
                void vscode.commands.executeCommand(CLIENT_COMMANDS.openDocs, actionPin ? 'actions' : 'registry');
              if (choice === 'Show Output') output.show(true);
            });
        }
        return resolved;
      },
    },
  };
  return new LanguageClient('driftguard', 'DriftGuard', serverOptions, clientOptions);
}
