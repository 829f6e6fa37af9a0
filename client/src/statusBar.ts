import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import {
  FileStatusRequest,
  RegistryStatusNotification,
  type RegistryStatusParams,
} from '../../server/src/lsp/protocol';
import { DOCUMENT_SELECTOR } from './documentSelector';

/** The command the status bar item runs: a menu of what a user does with DriftGuard. */
export const STATUS_MENU_COMMAND = 'driftguard.statusMenu';

/**
 * DriftGuard's status bar item: whether the server runs, the preset in force for the active file, and
 * whether a registry or the git server of action refs was unreachable at the last lookup. Shown while a
 * file DriftGuard lints is active; clicking it opens a menu (Scan Workspace, Show Output, Restart Server, …).
 */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('driftguard.status', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[] = [];
  private clientSubscriptions: vscode.Disposable[] = [];
  private state: 'starting' | 'running' | 'stopped' = 'starting';
  private preset = '';
  private presetSource = '';
  private registry: RegistryStatusParams = { reachable: true };
  private refreshes = 0;

  constructor(private readonly client: () => LanguageClient) {
    this.item.name = 'DriftGuard';
    this.item.command = STATUS_MENU_COMMAND;
    this.subscriptions.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => void this.refresh()),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('driftguard') && void this.refresh()),
      vscode.workspace.onDidSaveTextDocument((d) => /\.driftguard\.ya?ml$/.test(d.fileName) && void this.refresh()),
    );
    this.render();
  }

  /** Follows a (new) client: its state, and the registry reports of its server. */
  watch(client: LanguageClient): void {
    for (const s of this.clientSubscriptions) s.dispose();
    this.registry = { reachable: true };
    this.setState(client.state);
    this.clientSubscriptions = [
      client.onDidChangeState((e) => this.setState(e.newState)),
      client.onNotification(RegistryStatusNotification, (status) => {
        this.registry = status;
        this.render();
      }),
    ];
  }

  /** What the status bar shows, for tests and the menu. */
  describe(): { state: string; preset: string; presetSource: string; registry: RegistryStatusParams } {
    return { state: this.state, preset: this.preset, presetSource: this.presetSource, registry: this.registry };
  }

  private setState(state: State): void {
    this.state = state === State.Running ? 'running' : state === State.Starting ? 'starting' : 'stopped';
    this.render();
    if (this.state === 'running') void this.refresh();
  }

  /** Asks the server which preset applies to the active file. */
  private async refresh(): Promise<void> {
    const document = vscode.window.activeTextEditor?.document;
    const refresh = ++this.refreshes;
    if (!document || this.state !== 'running' || vscode.languages.match(DOCUMENT_SELECTOR, document) === 0) {
      this.render();
      return;
    }
    try {
      const status = await this.client().sendRequest(FileStatusRequest, { uri: document.uri.toString() });
      if (refresh !== this.refreshes) return;
      this.preset = status.preset;
      this.presetSource = status.configPath
        ? `from ${vscode.workspace.asRelativePath(status.configPath)}`
        : status.presetSource;
    } catch {
      /* the server restarted or stopped: the state change renders */
    }
    this.render();
  }

  private render(): void {
    const document = vscode.window.activeTextEditor?.document;
    const relevant = !!document && vscode.languages.match(DOCUMENT_SELECTOR, document) > 0;
    const icon = { starting: '$(sync~spin)', running: '$(check)', stopped: '$(error)' }[this.state];
    const offline = this.registry.reachable ? '' : ' $(cloud-offline)';
    const preset = this.preset && this.state === 'running' ? ` · ${this.preset}` : '';
    this.item.text = `${icon} DriftGuard${preset}${offline}`;
    const lines = [
      `DriftGuard: server ${this.state}`,
      ...(this.preset ? [`Preset: ${this.preset} (${this.presetSource})`] : []),
      this.registry.reachable
        ? 'Registries and git server: reachable'
        : `${this.registry.registry ?? 'Registry'}: unreachable at the last lookup ` +
          `(${this.registry.reason ?? 'no answer'}) — ` +
          'pins and hovers use no network until you retry',
      '',
      'Click for Scan Workspace, Show Output, Restart Server',
    ];
    this.item.tooltip = lines.join('\n');
    this.item.backgroundColor =
      this.state === 'stopped' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    if (relevant || this.state === 'stopped') this.item.show();
    else this.item.hide();
  }

  dispose(): void {
    for (const s of this.clientSubscriptions) s.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

/** The status bar menu: the commands a user reaches for when wondering what DriftGuard is doing. */
export async function showStatusMenu(): Promise<void> {
  const items: Array<vscode.QuickPickItem & { command: string }> = [
    { label: '$(search) Scan Workspace', command: 'driftguard.scanWorkspace' },
    { label: '$(output) Show Output', command: 'driftguard.showOutput' },
    {
      label: '$(info) Show Settings for This File',
      description: 'config file and preset',
      command: 'driftguard.showFileSettings',
    },
    { label: '$(debug-restart) Restart Server', command: 'driftguard.restartServer' },
    { label: '$(refresh) Look Up Registries Again', command: 'driftguard.lookUpAgain' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'DriftGuard' });
  if (picked) await vscode.commands.executeCommand(picked.command);
}
