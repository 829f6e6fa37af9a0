import * as path from 'node:path';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';

export const DOCUMENT_SELECTOR = [
  { language: 'dockerfile' },
  { language: 'dockercompose' },
  { language: 'shellscript' },
  { scheme: 'file', pattern: '**/{compose,docker-compose}{,.*}.{yml,yaml}' },
];

/** The bundled server (`dist/server.js`) in a packaged extension, the compiled one in development. */
function serverModule(context: vscode.ExtensionContext): string {
  const bundled = context.asAbsolutePath(path.join('dist', 'server.js'));
  return fs.existsSync(bundled) ? bundled : context.asAbsolutePath(path.join('out', 'server', 'src', 'lsp', 'main.js'));
}

export function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = serverModule(context);
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    synchronize: {
      configurationSection: 'driftguard',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{.driftguard.yaml,.driftguard.yml,.env}'),
    },
    initializationOptions: { trusted: vscode.workspace.isTrusted, watchesFiles: true },
  };
  return new LanguageClient('driftguard', 'DriftGuard', serverOptions, clientOptions);
}
