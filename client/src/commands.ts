import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  PinImagesParams,
  PinImagesRequest,
  PinImagesResult,
  PinProgressNotification,
  ScanProgressNotification,
  ScanWorkspaceRequest,
  ScanWorkspaceResult,
} from '../../server/src/lsp/protocol';
import { createClient } from './client';

export function registerCommands(
  context: vscode.ExtensionContext,
  holder: { client: LanguageClient },
  output: vscode.LogOutputChannel,
  onNewClient: (client: LanguageClient) => void,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('driftguard.scanWorkspace', () => scanWorkspace(holder.client)),
    vscode.commands.registerCommand('driftguard.restartServer', async () => {
      await holder.client.stop();
      holder.client = createClient(context, output);
      onNewClient(holder.client);
      await holder.client.start();
      output.info('server restarted');
    }),
    vscode.commands.registerCommand('driftguard.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('driftguard.pinImagesInFile', (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      if (!target) {
        void vscode.window.showInformationMessage(
          'DriftGuard: open a file DriftGuard checks (a Dockerfile, Compose or CI file…) to pin its references.',
        );
        return undefined;
      }
      return pinImages(holder.client, { uri: target.toString() }, output);
    }),
    vscode.commands.registerCommand('driftguard.pinImagesInWorkspace', () => {
      const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString());
      return pinImages(holder.client, { folders, exclude: filesExclude() }, output);
    }),
  );
}

function filesExclude(): string[] {
  return Object.entries(vscode.workspace.getConfiguration('files').get<Record<string, boolean>>('exclude') ?? {})
    .filter(([, on]) => on)
    .map(([glob]) => glob);
}

/**
 * Pins through the server (which asks the registry and the git server, and applies one undoable edit
 * per file), then summarises.
 */
async function pinImages(
  client: LanguageClient,
  params: PinImagesParams,
  output: vscode.LogOutputChannel,
): Promise<PinImagesResult> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'DriftGuard: pinning', cancellable: true },
    async (progress, token) => {
      const listener = client.onNotification(PinProgressNotification, (p) => {
        progress.report({ message: `${p.done} / ${p.total}${p.current ? ` — ${p.current}` : ''}` });
      });
      try {
        return await client.sendRequest(PinImagesRequest, params, token);
      } finally {
        listener.dispose();
      }
    },
  );
  for (const p of result.pinned)
    output.info(`pinned ${vscode.Uri.parse(p.uri).fsPath}:${p.line + 1}: ${p.reference} → ${p.newText}`);
  for (const f of result.failed) {
    const where = f.uri ? `${vscode.Uri.parse(f.uri).fsPath}:${f.line + 1}: ` : '';
    output.warn(`not pinned ${where}${f.reference}${f.reference ? ': ' : ''}${f.reason}`);
  }
  const summary =
    `pinned ${count(result.pinned.length, 'reference')} in ${count(result.filesChanged, 'file')}` +
    (result.failed.length ? `; ${result.failed.length} failed` : '') +
    (result.cancelled ? ' — cancelled' : '');
  const show = result.failed.length ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  void show(`DriftGuard: ${summary}`, ...(result.failed.length ? ['Show Output'] : [])).then((choice) => {
    if (choice) output.show(true);
  });
  return result;
}

/** Runs the server's workspace scan behind a cancellable progress notification, then summarises. */
async function scanWorkspace(client: LanguageClient): Promise<ScanWorkspaceResult | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    void vscode.window.showInformationMessage('DriftGuard: open a folder to scan.');
    return undefined;
  }
  const exclude = filesExclude();
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'DriftGuard: scanning workspace', cancellable: true },
    async (progress, token) => {
      let last = 0;
      const listener = client.onNotification(ScanProgressNotification, (p) => {
        const increment = p.total ? ((p.scanned - last) / p.total) * 100 : undefined;
        last = p.scanned;
        progress.report({
          message: `${p.scanned}${p.total ? ` / ${p.total}` : ''} files, ${p.findings} findings`,
          ...(increment !== undefined ? { increment } : {}),
        });
      });
      try {
        return await client.sendRequest(
          ScanWorkspaceRequest,
          { folders: folders.map((f) => f.uri.toString()), exclude },
          token,
        );
      } finally {
        listener.dispose();
      }
    },
  );
  const summary =
    `${count(result.findings, 'finding')} in ${result.filesWithFindings} of ${result.filesScanned} files` +
    (result.skipped.length ? ` (${result.skipped.length} skipped)` : '') +
    (result.cancelled ? ' — cancelled' : '');
  void vscode.window.showInformationMessage(`DriftGuard: ${summary}`, 'Open Problems').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
  return result;
}

/** `1 file`, `2 files`. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
