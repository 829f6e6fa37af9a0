import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';
import type {
  CodeAction,
  Diagnostic,
  PublishDiagnosticsParams,
  Range,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';
import { Connection, createConnection } from 'vscode-languageserver/node';
import { defaultServerServices, DriftGuardServer, ServerServices } from '../../server/src/lsp/server';
import { RegistryService } from '../../server/src/lsp/registryService';
import { REPO_ROOT } from './repo';

/** The language server's entry point as `tsc -p .` compiles it, for a client over stdio. */
export const SERVER_MAIN = path.join(REPO_ROOT, 'out', 'server', 'src', 'lsp', 'main.js');

/** The language server's bundle, as the extension and the npm package ship it (`npm run build`). */
export const SERVER_BUNDLE = path.join(REPO_ROOT, 'dist', 'server.js');

/** The `file:` URI of a path, as an editor names the document. */
export const uriOf = (filePath: string): string => pathToFileURL(filePath).toString();

export function freshCacheDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-cache-'));
}

/** The server of an in-process client, and the connection it talks on. */
export interface InProcessServer {
  server: DriftGuardServer;
  connection: Connection;
  /** What the server writes to the client, as it writes it. */
  output: PassThrough;
}

/** Clients not stopped yet, each with its start's serial number (see `stopClientsAfterEach`). */
const liveClients = new Map<LspTestClient, number>();
let clientsStarted = 0;

/**
 * In the calling suite, stops after each test every client the test started and did not stop
 * (clients a `before` hook started are left to it).
 */
export function stopClientsAfterEach(): void {
  let startedBefore = 0;
  beforeEach(() => {
    startedBefore = clientsStarted;
  });
  afterEach(async () => {
    for (const [client, serial] of [...liveClients]) if (serial > startedBefore) await client.stop();
  });
}

/**
 * A minimal LSP client. `new LspTestClient(main)` drives the real server process over stdio;
 * `LspTestClient.inProcess()` drives a `DriftGuardServer` in this process over in-memory streams,
 * with any of its services replaced.
 */
export class LspTestClient {
  readonly connection: MessageConnection;
  private readonly process: ChildProcess | undefined;
  /** Set for an in-process client. */
  inProcessServer: InProcessServer | undefined;
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  private readonly waiters: Array<() => void> = [];
  readonly notifications: Array<{ method: string; params: unknown }> = [];
  readonly logs: string[] = [];
  readonly registrations: Array<{ id: string; method: string; registerOptions?: unknown }> = [];
  /** Ids of the registrations the server withdrew. */
  readonly unregistered: string[] = [];

  /**
   * @param env the server's environment; by default this process's, with a fresh private cache
   *   folder (XDG_CACHE_HOME) so no test reads or writes the developer's cache.
   */
  constructor(serverMain: string | MessageConnection, args: string[] = ['--stdio'], env?: NodeJS.ProcessEnv) {
    liveClients.set(this, ++clientsStarted);
    if (typeof serverMain === 'string') {
      this.process = spawn(process.execPath, [serverMain, ...args], {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: env ?? { ...process.env, XDG_CACHE_HOME: freshCacheDir() },
      });
      this.process.stderr!.on('data', (d) => this.logs.push(String(d)));
      this.connection = createMessageConnection(
        new StreamMessageReader(this.process.stdout!),
        new StreamMessageWriter(this.process.stdin!),
      );
    } else {
      this.connection = serverMain;
    }
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
      (p: { registrations: Array<{ id: string; method: string; registerOptions?: unknown }> }) => {
        this.registrations.push(...p.registrations);
        return null;
      },
    );
    this.connection.onRequest('client/unregisterCapability', (p: { unregisterations: Array<{ id: string }> }) => {
      for (const { id } of p.unregisterations) this.unregistered.push(id);
      return null;
    });
    this.connection.onRequest('workspace/applyEdit', (p: { edit: unknown }) => this.applyEdit(p.edit));
    // Progress the server starts is shown (its `$/progress` notifications land in `notifications`).
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.listen();
  }

  configuration: unknown = { enable: true, rules: {} };

  /** The server process's id (a client of a server process only). */
  get pid(): number {
    if (!this.process?.pid) throw new Error('no server process: the server runs in this process');
    return this.process.pid;
  }
  /** The bytes the server process writes to stdout, as they arrive (beside this client's reader). */
  onServerOutput(listener: (chunk: Buffer) => void): void {
    if (!this.process) throw new Error('no server process: the server runs in this process');
    this.process.stdout!.on('data', listener);
  }

  /** Closes the server process's stdin and resolves with its exit code once it has ended. */
  closeInput(): Promise<number | null> {
    const serverProcess = this.process;
    if (!serverProcess) throw new Error('no server process: the server runs in this process');
    const exited = new Promise<number | null>((resolve) => {
      if (serverProcess.exitCode !== null) resolve(serverProcess.exitCode);
      else serverProcess.once('exit', (code) => resolve(code));
    });
    serverProcess.stdin!.end();
    return exited;
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
      // A server in this process has no parent to watch: given this process's id, vscode-languageserver
      // checks it every 3 s on a timer nothing clears, and the test run never exits after its last test.
      processId: this.process ? process.pid : null,
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

  /** The diagnostics last published for each URI. */
  lastPublished(): Map<string, Diagnostic[]> {
    return new Map([...this.diagnostics].map(([uri, list]) => [uri, list[list.length - 1]!.diagnostics]));
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

  /**
   * Waits, publish after publish of `uri` from the `from`-th on (1 unless given), for the first that
   * `accept` takes (given its diagnostics and number) and returns both. A state, not a clock: each
   * publish answers a lint the server ran; `timeoutMs` bounds only each wait for the next publish, and
   * its error lists what was published meanwhile (`code@line`).
   */
  async waitForPublishWhere(
    uri: string,
    accept: (diagnostics: Diagnostic[], n: number) => boolean,
    options: { from?: number; timeoutMs?: number } = {},
  ): Promise<{ n: number; diagnostics: Diagnostic[] }> {
    const seen: string[][] = [];
    for (let n = options.from ?? 1; ; n++) {
      const diagnostics = await this.waitForPublish(uri, n, options.timeoutMs).catch((error: Error) => {
        throw new Error(`${error.message}\npublished meanwhile: ${JSON.stringify(seen)}`);
      });
      if (accept(diagnostics, n)) return { n, diagnostics };
      seen.push(diagnostics.map((d) => `${String(d.code)}@${d.range.start.line}`));
    }
  }

  /** Sends `textDocument/didOpen` for a document with `text` (version 1 unless given); returns its URI. */
  async open(uri: string, languageId: string, text: string, version = 1): Promise<string> {
    await this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId, version, text },
    });
    return uri;
  }

  /** Opens a file as it is on disk (its text read now, version 1); returns its URI. */
  openFile(filePath: string, languageId: string): Promise<string> {
    return this.open(uriOf(filePath), languageId, fs.readFileSync(filePath, 'utf8'));
  }

  /**
   * Opens a document and waits for the publish that answers the open: the first for `uri` after it
   * (counted before the open is sent, so an earlier publish of the same URI is never taken for it).
   * A state, not a clock: `timeoutMs` only bounds a server that never answers.
   */
  async openAndWait(
    uri: string,
    languageId: string,
    text: string,
    options: { version?: number; timeoutMs?: number } = {},
  ): Promise<Diagnostic[]> {
    const n = this.publishCount(uri) + 1;
    await this.open(uri, languageId, text, options.version);
    return this.waitForPublish(uri, n, options.timeoutMs);
  }

  /** Opens a file as it is on disk (see `openFile`) and waits for the publish that answers the open. */
  openFileAndWait(filePath: string, languageId: string, options: { timeoutMs?: number } = {}): Promise<Diagnostic[]> {
    return this.openAndWait(uriOf(filePath), languageId, fs.readFileSync(filePath, 'utf8'), options);
  }

  /** Sends `textDocument/didChange` taking `uri` to `version` (whole texts or ranged changes). */
  async change(uri: string, version: number, ...contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges,
    });
  }

  /**
   * Asks for the code actions on `range` of `uri` that answer `diagnostics`; `only` narrows them to
   * those kinds (`quickfix`, `source.fixAll.driftguard`), as an editor's lightbulb or fix-all does.
   */
  codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    return this.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics, only },
    });
  }

  /** A client of a server in this process; `services` replace the server's defaults. */
  static inProcess(services: Partial<ServerServices> = {}): LspTestClient {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    const connection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    const server = new DriftGuardServer(connection, {
      ...defaultServerServices(),
      // A fresh private cache folder: no test reads or writes the developer's cache.
      createRegistry: (trusted, _cacheDir, log) => new RegistryService(trusted, freshCacheDir(), log),
      // Full collections of the test process's own large heap after every scan would only slow the
      // tier; test/protocol/heapRelease.test.ts injects its own.
      releaseMemory: undefined,
      ...services,
    });
    server.register();
    connection.listen();
    const client = new LspTestClient(
      createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer)),
    );
    client.inProcessServer = { server, connection, output: toClient };
    return client;
  }

  async stop(): Promise<void> {
    liveClients.delete(this);
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      // `exit` ends the process the server runs in: an in-process server is disposed instead.
      if (this.process) await this.connection.sendNotification('exit');
    } catch {
      /* already gone */
    }
    this.connection.dispose();
    this.inProcessServer?.connection.dispose();
    if (this.process && this.process.exitCode === null) this.process.kill();
  }
}
