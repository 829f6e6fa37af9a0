import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { ScanWorkspaceRequest } from '../../server/src/lsp/protocol';
import { LspTestClient, uriOf, stopClientsAfterEach } from '../helpers/lspClient';
import { REPO_ROOT } from '../helpers/repo';
import { tempTree } from '../helpers/tempTree';
import { countingTreeSitterParses } from '../helpers/treeSitterParses';

const CLI = path.join(REPO_ROOT, 'out', 'server', 'src', 'cli', 'main.js');

/** `rule@line` of each finding, sorted. */
const findings = (list: ReadonlyArray<{ rule: string; line: number }>) => list.map((f) => `${f.rule}@${f.line}`).sort();
const fromDiagnostics = (diagnostics: readonly Diagnostic[]) =>
  findings(diagnostics.map((d) => ({ rule: String(d.code), line: d.range.start.line })));

/** What the CLI finds in each shell script of `root`, by path relative to it. */
function cliFindings(root: string): Record<string, string[]> {
  const r = spawnSync(process.execPath, [CLI, '--format', 'json', '.'], { cwd: root, encoding: 'utf8' });
  const json = JSON.parse(r.stdout) as {
    files: Array<{ path: string; kind: string; problems: Array<{ ruleId: string; line: number }> }>;
  };
  return Object.fromEntries(
    json.files
      .filter((f) => f.kind === 'shell')
      .map((f) => [
        path.relative(root, path.resolve(root, f.path)),
        findings(f.problems.map((p) => ({ rule: p.ruleId, line: p.line - 1 }))),
      ]),
  );
}

/** Waits, on published diagnostics only (never on a clock), until `uri`'s last publish satisfies `ok`. */
async function published(client: LspTestClient, uri: string, ok: (found: string[]) => boolean): Promise<string[]> {
  const last = (diagnostics: Diagnostic[], n: number) =>
    n >= client.publishCount(uri) && ok(fromDiagnostics(diagnostics));
  const { diagnostics } = await client.waitForPublishWhere(uri, last, { from: Math.max(1, client.publishCount(uri)) });
  return fromDiagnostics(diagnostics);
}

const WATCHES_REGISTERED = {
  workspace: {
    configuration: true,
    workspaceEdit: { documentChanges: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
  },
};

/** The files the server last asked the client to watch for it (waits for a first registration). */
async function watched(client: LspTestClient): Promise<string[]> {
  const ofFiles = () =>
    client.registrations.filter(
      (r) => r.method === 'workspace/didChangeWatchedFiles' && !client.unregistered.includes(r.id),
    );
  // Registration is a request of the server's: answered, it is recorded before the next publish.
  while (ofFiles().length === 0) await new Promise((resolve) => setImmediate(resolve));
  const options = ofFiles().at(-1)!.registerOptions as { watchers: Array<{ globPattern: string }> };
  return options.watchers.map((w) => w.globPattern);
}

const same = (expected: string[]) => (found: string[]) => found.join() === expected.join();

describe('variables of sourced files in the language server', function () {
  this.timeout(30000);
  let client: LspTestClient | undefined;
  stopClientsAfterEach();

  it('an open script and the workspace scan get what the CLI gets, and follow edits of the sourced file', async () => {
    const root = tempTree({
      'ops/env.sh': '#!/bin/sh\nDOCKER=docker\nCONF=/etc/app/app.conf\n',
      'ops/main.sh': '#!/bin/sh\n. "$(dirname "$0")/env.sh"\n$DOCKER commit c img\nsed -i s/a/b/ "$CONF"\n',
      'ops/other.sh': '#!/bin/sh\n. ./env.sh\n$DOCKER commit c img\n',
    });
    const cli = cliFindings(root);
    assert.deepEqual(cli['ops/main.sh'], ['container-commit@2', 'live-config-edit@3']);
    assert.deepEqual(cli['ops/other.sh'], ['container-commit@2']);

    client = LspTestClient.inProcess();
    // As VS Code: it watches its own files and those the server registers.
    await client.initialize(uriOf(root), WATCHES_REGISTERED, { watchesFiles: true });
    const env = path.join(root, 'ops/env.sh');
    const main = uriOf(path.join(root, 'ops/main.sh'));
    const other = uriOf(path.join(root, 'ops/other.sh'));
    // The first lint of the open script already has the sourced variables: the editor and the CLI agree.
    const opened = await client.openFileAndWait(path.join(root, 'ops/main.sh'), 'shellscript');
    assert.deepEqual(fromDiagnostics(opened), cli['ops/main.sh']);
    await client.connection.sendRequest(ScanWorkspaceRequest, {});
    assert.deepEqual(fromDiagnostics(await client.waitForPublish(other, 1)), cli['ops/other.sh']);

    // Typed in the editor, not saved: the open script and the scanned one read the editor's text.
    await client.openFile(env, 'shellscript');
    await client.change(uriOf(env), 2, { text: '#!/bin/sh\nDOCKER=echo\nCONF=/tmp/app.conf\n' });
    await published(client, main, same([]));
    await published(client, other, same([]));

    // Closed without saving: the disk's text again.
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf(env) } });
    await published(client, main, same(cli['ops/main.sh']));
    await published(client, other, same(cli['ops/other.sh']));

    // Changed on disk (a checkout): the client was asked to watch the file, and its event re-lints both.
    assert.deepEqual(await watched(client), [env]);
    fs.writeFileSync(env, '#!/bin/sh\nDOCKER=podman\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uriOf(env), type: 2 }],
    });
    await published(client, main, same(['container-commit@2']));
    assert.deepEqual(cliFindings(root)['ops/main.sh'], ['container-commit@2']);

    // The script stops sourcing it: once typing pauses, its own `source` lines are read again.
    await client.change(main, 2, {
      range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } },
      text: '#',
    });
    await published(client, main, same([]));
  });

  it("Scan Workspace reads a script's sourced files right before its lint, which reuses that parse", async () => {
    const env = '#!/bin/sh\nDOCKER=docker\n';
    const first = '#!/bin/sh\n. ./env.sh\n$DOCKER commit c first\n';
    const second = '#!/bin/sh\n. ./env.sh\n$DOCKER commit c second\n';
    const root = tempTree({ 'a.sh': first, 'b.sh': second, 'env.sh': env });
    const scanning = LspTestClient.inProcess();
    const { parses } = await countingTreeSitterParses(async () => {
      await scanning.initialize(uriOf(root));
      await scanning.connection.sendRequest(ScanWorkspaceRequest, {});
    });
    // b.sh's sourced file was read for a.sh: its parse for what it sources is the last one before its
    // lint, which copies the kept tree. Before, every script of a batch had its sourced files read
    // before any of them was linted, so each was parsed again by its lint.
    assert.equal(parses.get(second), 1);
    assert.deepEqual(fromDiagnostics(scanning.lastPublished().get(uriOf(path.join(root, 'b.sh')))!), [
      'container-commit@2',
    ]);
    assert.deepEqual(cliFindings(root)['b.sh'], ['container-commit@2']);
  });

  it('reads no sourced file outside the workspace folder, through a link, or a FIFO', async () => {
    const outside = tempTree({ 'env.sh': 'DOCKER=docker\n' });
    const root = tempTree({
      'main.sh':
        '#!/bin/sh\n. ./link.sh\n. ./fifo.sh\n. ../' +
        path.basename(outside) +
        '/env.sh\n. /etc/profile\n$DOCKER commit c img\n',
    });
    fs.symlinkSync(path.join(outside, 'env.sh'), path.join(root, 'link.sh'));
    spawnSync('mkfifo', [path.join(root, 'fifo.sh')]);
    client = LspTestClient.inProcess();
    await client.initialize(uriOf(root), {}, { watchesFiles: true });
    assert.deepEqual(fromDiagnostics(await client.openFileAndWait(path.join(root, 'main.sh'), 'shellscript')), []);
    assert.deepEqual(cliFindings(root)['main.sh'], []);
  });
});
