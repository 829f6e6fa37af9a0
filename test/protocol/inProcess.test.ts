import * as assert from 'node:assert/strict';
import { ErrorCodes, ResponseError } from 'vscode-jsonrpc/node';
import type { Hover, InitializeParams } from 'vscode-languageserver-protocol';
import type { Engine } from '../../server/src/engine/engine';
import { testEngine } from '../helpers/engine';
import { QUICK_FIX_PROVIDERS, QuickFixProvider } from '../../server/src/lsp/codeActions';
import {
  DRIFTGUARD_REQUESTS,
  ScanProgressNotification,
  ScanProgressParams,
  ScanWorkspaceRequest,
} from '../../server/src/lsp/protocol';
import { sessionFrom } from '../../server/src/lsp/session';
import { DEFAULT_MAX_FILE_BYTES } from '../../server/src/workspace/readSource';
import { LspTestClient, uriOf, stopClientsAfterEach } from '../helpers/lspClient';
import { tempTree } from '../helpers/tempTree';

/** A promise and the function that resolves it. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('language server in process (DriftGuardServer over in-memory streams)', function () {
  this.timeout(20000);
  let client: LspTestClient | undefined;
  stopClientsAfterEach();

  it('answers every DriftGuard request of the shared protocol', async () => {
    const root = tempTree({ 'README.md': 'nothing to scan\n' });
    client = LspTestClient.inProcess();
    // Untrusted: the pin request must not reach for a registry.
    await client.initialize(uriOf(root), {}, { trusted: false });
    for (const request of DRIFTGUARD_REQUESTS) {
      const answer = await client.connection.sendRequest(request.method, {}).then(
        (result: unknown) => ({ result }),
        (error: unknown) => ({ error }),
      );
      const code = 'error' in answer && answer.error instanceof ResponseError ? answer.error.code : undefined;
      assert.notEqual(code, ErrorCodes.MethodNotFound, `${request.method} has no handler`);
      assert.ok('result' in answer, `${request.method} failed: ${String((answer as { error: unknown }).error)}`);
    }
  });

  it('scan progress carries the total the client shows', async () => {
    const root = tempTree({
      'a/Dockerfile': 'FROM nginx\n',
      'b/Dockerfile': 'FROM redis:7\n',
      'c/compose.yaml': 'services:\n  web:\n    image: nginx:latest\n',
    });
    client = LspTestClient.inProcess();
    await client.initialize(uriOf(root));
    const progress: ScanProgressParams[] = [];
    client.connection.onNotification(ScanProgressNotification, (p: ScanProgressParams) => {
      progress.push(p);
    });
    const result = await client.connection.sendRequest(ScanWorkspaceRequest, {});
    assert.equal(result.filesScanned, 3);
    assert.ok(progress.length > 0, 'no progress was sent');
    for (const p of progress) {
      assert.equal(p.total, 3);
      assert.ok(p.scanned >= 1 && p.scanned <= p.total, JSON.stringify(p));
    }
  });

  it('lints only once the injected engine is ready', async () => {
    const gate = deferred<Engine>();
    client = LspTestClient.inProcess({ engine: gate.promise });
    const root = tempTree({});
    await client.initialize(uriOf(root));
    const uri = uriOf(`${root}/Dockerfile`);
    await client.open(uri, 'dockerfile', 'FROM nginx\n');
    // A reply to a later request means the open was handled: its lint is waiting on the gate.
    const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 0, character: 6 },
    });
    assert.equal(hover, null);
    assert.equal(client.publishCount(uri), 0);
    gate.resolve(testEngine());
    const diagnostics = await client.waitForPublish(uri, 1);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['image-untagged'],
    );
  });

  it('lists the actions of an injected quick-fix provider after the built-in ones', async () => {
    const extra: QuickFixProvider = (problem, diagnostic, context) => [
      { title: `extra for ${problem.ruleId} at v${context.version}`, kind: 'quickfix', diagnostics: [diagnostic] },
    ];
    client = LspTestClient.inProcess({ quickFixes: [...QUICK_FIX_PROVIDERS, extra] });
    const root = tempTree({});
    await client.initialize(uriOf(root), {}, { trusted: false });
    const uri = uriOf(`${root}/Dockerfile`);
    const [diagnostic] = await client.openAndWait(uri, 'dockerfile', 'FROM nginx\n', { version: 3 });
    const actions = await client.codeActions(uri, diagnostic!.range, [diagnostic!], ['quickfix']);
    const titles = actions.map((a) => a.title);
    assert.equal(titles.at(-1), 'extra for image-untagged at v3');
    assert.ok(titles.length > 1, `built-in actions missing: ${titles.join(' | ')}`);
  });
});

describe('client session (initialize)', () => {
  const base: InitializeParams = { processId: null, rootUri: null, capabilities: {} };

  it('reads capabilities and options, with defaults for what is missing or invalid', () => {
    const session = sessionFrom({
      ...base,
      rootUri: 'file:///work/repo',
      capabilities: {
        workspace: { configuration: true, workspaceEdit: { documentChanges: true } },
        experimental: { snippetTextEdit: true },
        window: { workDoneProgress: true },
      },
      initializationOptions: { trusted: false, maxFileSize: 1.5 },
    });
    assert.deepEqual(session, {
      configuration: true,
      documentChanges: true,
      snippets: true,
      snippetEdits: false,
      createFiles: false,
      clientCommands: new Set(),
      workDoneProgress: true,
      trusted: false,
      maxFileBytes: DEFAULT_MAX_FILE_BYTES,
      registerWatchers: false,
      canRegisterWatchers: false,
      filesWatched: false,
      workspaceFolders: ['/work/repo'],
    });
  });

  it('asks for file watchers only when the client does not watch files itself and can register them', () => {
    const dynamic = { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } };
    const asks = sessionFrom({ ...base, capabilities: dynamic });
    assert.deepEqual([asks.registerWatchers, asks.filesWatched], [true, true]);
    const watchesItself = sessionFrom({
      ...base,
      capabilities: dynamic,
      initializationOptions: { watchesFiles: true },
    });
    // It still watches the files the server names at run time (files scripts source).
    assert.deepEqual(
      [watchesItself.registerWatchers, watchesItself.filesWatched, watchesItself.canRegisterWatchers],
      [false, true, true],
    );
    const cannot = sessionFrom(base);
    assert.deepEqual(
      [cannot.registerWatchers, cannot.filesWatched, cannot.canRegisterWatchers, cannot.trusted],
      [false, false, false, true],
    );
  });

  it('prefers workspace folders to the root URI and drops non-file folders', () => {
    const session = sessionFrom({
      ...base,
      rootUri: 'file:///ignored',
      workspaceFolders: [
        { uri: 'file:///a', name: 'a' },
        { uri: 'vscode-vfs://github/x', name: 'remote' },
      ],
      initializationOptions: { maxFileSize: 2048 },
    });
    assert.deepEqual(session.workspaceFolders, ['/a']);
    assert.equal(session.maxFileBytes, 2048);
  });
});
