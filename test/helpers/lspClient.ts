import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  createMessageConnection,
  MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

/** A minimal LSP client driving the real server process over stdio. */
export class LspTestClient {
  readonly connection: MessageConnection;
  private readonly process: ChildProcess;
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  private readonly waiters: Array<() => void> = [];
  readonly notifications: Array<{ method: string; params: unknown }> = [];
  readonly logs: string[] = [];
  readonly registrations: Array<{ method: string; registerOptions?: unknown }> = [];

  /**
   * @param env the server's environment; by default this process's, with a fresh private cache
   *   folder (XDG_CACHE_HOME) so no test reads or writes the developer's cache.
   */
  constructor(serverMain: string, args: string[] = ['--stdio'], env?: NodeJS.ProcessEnv) {
    this.process = spawn(process.execPath, [serverMain, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: env ?? { ...process.env, XDG_CACHE_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-cache-')) },
    });
    this.process.stderr!.on('data', (d) => this.logs.push(String(d)));
    this.connection = createMessageConnection(
      new StreamMessageReader(this.process.stdout!),
      new StreamMessageWriter(this.process.stdin!),
    );
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      const list = this.diagnostics.get(p.uri) ?? [];
      list.push(p);
      this.diagnostics.set(p.uri, list);
      this.waiters.splice(0).forEach((w) => w());
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    this.connection.onNotification((method, params) => {
      this.notifications.push({ method, params });
    });
    this.connection.onRequest('workspace/configuration', (p: { items: unknown[] }) =>
      p.items.map(() => this.configuration),
    );
    this.connection.onRequest(
      'client/registerCapability',
      (p: { registrations: Array<{ method: string; registerOptions?: unknown }> }) => {
        this.registrations.push(...p.registrations);
        return null;
      },
    );
    this.connection.onRequest('workspace/applyEdit', (p: { edit: unknown }) => this.applyEdit(p.edit));
    this.connection.listen();
  }

  configuration: unknown = { enable: true, rules: {} };

  get pid(): number {
    return this.process.pid!;
  }
  /** Answers `workspace/applyEdit`; tests replace it to apply edits to files. */
  applyEdit: (edit: unknown) => { applied: boolean } = () => ({ applied: false });

  async initialize(
    rootUri: string | null,
    capabilities: Record<string, unknown> = {},
    initializationOptions: unknown = undefined,
  ): Promise<{ capabilities: Record<string, unknown> }> {
    const result = await this.connection.sendRequest('initialize', {
      initializationOptions,
      processId: process.pid,
      rootUri,
      capabilities: { workspace: { configuration: true, workspaceEdit: { documentChanges: true } }, ...capabilities },
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'ws' }] : null,
    });
    await this.connection.sendNotification('initialized', {});
    return result as { capabilities: Record<string, unknown> };
  }

  publishCount(uri: string): number {
    return this.diagnostics.get(uri)?.length ?? 0;
  }

  /** Waits until the n-th publish for `uri` (1-based) has arrived and returns its diagnostics. */
  async waitForPublish(uri: string, n: number, timeoutMs = 10000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.publishCount(uri) < n) {
      if (Date.now() > deadline)
        throw new Error(`no publish #${n} for ${uri} within ${timeoutMs} ms (logs: ${this.logs.join('\n')})`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.diagnostics.get(uri)![n - 1]!.diagnostics;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      /* already gone */
    }
    this.connection.dispose();
    if (this.process.exitCode === null) this.process.kill();
  }
}
