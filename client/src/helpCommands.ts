import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CLIENT_COMMANDS, FileStatusRequest, ForgetLookupFailuresRequest } from '../../server/src/lsp/protocol';

/** What a new `.driftguard.yaml` from the walkthrough or the command holds: the defaults, explained. */
const CONFIG_TEMPLATE = [
  '# What DriftGuard flags in this repository. The editor, the CLI and CI read this file.',
  'extends: recommended # or strict: every rule on, at warning or above',
  '# rules: # severity per rule: off, hint, info, warning, error',
  '#   image-unpinned-digest: warning',
  '# ignore: [vendor/**] # files never analysed',
  '# images:',
  '#   allow: [registry.internal/*] # references never flagged',
  '',
].join('\n');

export function registerHelpCommands(
  context: vscode.ExtensionContext,
  client: () => LanguageClient,
  output: vscode.LogOutputChannel,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(CLIENT_COMMANDS.openDocs, (page: unknown) => openDocs(context, page)),
    vscode.commands.registerCommand(CLIENT_COMMANDS.lookUpAgain, async () => {
      await client().sendRequest(ForgetLookupFailuresRequest, {});
      output.info('earlier lookup failures (registries, git server) forgotten; the next quick fix or hover asks again');
      if (vscode.window.activeTextEditor) await vscode.commands.executeCommand('editor.action.showHover');
    }),
    vscode.commands.registerCommand('driftguard.showFileSettings', () => showFileSettings(client(), output)),
    vscode.commands.registerCommand('driftguard.createConfig', () => createConfig()),
  );
}

/** Opens a page shipped with the extension (`rules/<id>` or `registry`) in the Markdown preview. */
async function openDocs(context: vscode.ExtensionContext, page: unknown): Promise<void> {
  if (typeof page !== 'string' || !/^(?:rules\/[a-z0-9-]+|[a-z0-9-]+)$/.test(page)) return;
  const uri = vscode.Uri.joinPath(context.extensionUri, 'docs', `${page}.md`);
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    void vscode.window.showWarningMessage(`DriftGuard: no documentation page ${page}.`);
    return;
  }
  await vscode.commands.executeCommand('markdown.showPreview', uri);
}

/** Logs which config file and preset apply to the active file, and shows the log. */
async function showFileSettings(client: LanguageClient, output: vscode.LogOutputChannel): Promise<void> {
  const document = vscode.window.activeTextEditor?.document;
  if (!document) {
    void vscode.window.showInformationMessage('DriftGuard: open a file to see which settings apply to it.');
    return;
  }
  const status = await client.sendRequest(FileStatusRequest, { uri: document.uri.toString() });
  output.info(
    `settings for ${vscode.workspace.asRelativePath(document.uri)}: ` +
      (status.linted ? '' : `not linted (${status.notLintedReason ?? 'not a file DriftGuard reads'}); `) +
      `config ${status.configPath ?? 'none'}; preset ${status.preset} (${status.presetSource})` +
      (status.rulesOff.length ? `; rules off: ${status.rulesOff.join(', ')}` : ''),
  );
  output.show(true);
}

/** Creates `.driftguard.yaml` in the workspace folder (asks which when there are several) and opens it. */
async function createConfig(): Promise<void> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const folder =
    folders.length > 1
      ? await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Where should .driftguard.yaml go?' })
      : folders[0];
  if (!folder) {
    if (folders.length === 0) void vscode.window.showInformationMessage('DriftGuard: open a folder first.');
    return;
  }
  const uri = vscode.Uri.joinPath(folder.uri, '.driftguard.yaml');
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    await vscode.workspace.fs.writeFile(uri, Buffer.from(CONFIG_TEMPLATE, 'utf8'));
  }
  await vscode.window.showTextDocument(uri);
}
