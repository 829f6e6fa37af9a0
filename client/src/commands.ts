import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createClient } from './client';

/** Mirrors of the server's protocol (see server/src/lsp/protocol.ts). */
const SCAN_WORKSPACE = 'driftguard/scanWorkspace';
const SCAN_PROGRESS = 'driftguard/scanProgress';
interface ScanWorkspaceResult { filesScanned: number; filesWithFindings: number; findings: number; skipped: Array<{ uri: string; reason: string }>; cancelled: boolean }
interface ScanProgress { scanned: number; findings: number; total?: number; current?: string }

export function registerCommands(context: vscode.ExtensionContext, holder: { client: LanguageClient }, output: vscode.LogOutputChannel): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('driftguard.scanWorkspace', () => scanWorkspace(holder.client)),
    vscode.commands.registerCommand('driftguard.restartServer', async () => {
      await holder.client.stop();
      holder.client = createClient(context, output);
      await holder.client.start();
      output.info('server restarted');
    }),
    vscode.commands.registerCommand('driftguard.showOutput', () => output.show(true)),
  );
}

/** Runs the server's workspace scan behind a cancellable progress notification, then summarises. */
async function scanWorkspace(client: LanguageClient): Promise<ScanWorkspaceResult | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) { void vscode.window.showInformationMessage('DriftGuard: open a folder to scan.'); return undefined; }
  const exclude = Object.entries(vscode.workspace.getConfiguration('files').get<Record<string, boolean>>('exclude') ?? {}).filter(([, on]) => on).map(([glob]) => glob);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'DriftGuard: scanning workspace', cancellable: true },
    async (progress, token) => {
      let last = 0;
      const listener = client.onNotification(SCAN_PROGRESS, (p: ScanProgress) => {
        const increment = p.total ? ((p.scanned - last) / p.total) * 100 : undefined;
        last = p.scanned;
        progress.report({ message: `${p.scanned}${p.total ? ` / ${p.total}` : ''} files, ${p.findings} findings`, ...(increment !== undefined ? { increment } : {}) });
      });
      try {
        return await client.sendRequest<ScanWorkspaceResult>(SCAN_WORKSPACE, { folders: folders.map((f) => f.uri.toString()), exclude }, token);
      } finally {
        listener.dispose();
      }
    },
  );
  const summary = `${result.findings} finding${result.findings === 1 ? '' : 's'} in ${result.filesWithFindings} of ${result.filesScanned} files${result.skipped.length ? ` (${result.skipped.length} skipped)` : ''}${result.cancelled ? ' — cancelled' : ''}`;
  void vscode.window.showInformationMessage(`DriftGuard: ${summary}`, 'Open Problems').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
  return result;
}
