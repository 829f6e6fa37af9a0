import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeAction, TextEdit, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { applyEdits } from '../../server/src/engine/fixes';
import { tempTree } from '../helpers/tempTree';
import { LspTestClient, SERVER_MAIN, uriOf } from '../helpers/lspClient';

const typedHas = (
  diagnostics: Array<{ code?: unknown; range: { start: { line: number } } }>,
  code: string,
  line: number,
) => diagnostics.some((d) => d.code === code && d.range.start.line === line);

function editsOf(action: CodeAction, uri: string): TextEdit[] {
  const changes = action.edit?.documentChanges as TextDocumentEdit[] | undefined;
  return (
    (changes?.find((c) => c.textDocument.uri === uri)?.edits as TextEdit[] | undefined) ??
    action.edit?.changes?.[uri] ??
    []
  );
}

/** What the server watches for the builds other files define (Dockerfiles, scripts, bake, Compose and CI files). */
const BUILD_FILE_GLOBS = [
  '**/*Dockerfile*',
  '**/*.sh',
  '**/docker-bake*.{hcl,json}',
  '**/{compose,docker-compose}{,.*,-*}.{yml,yaml}',
  '**/.github/workflows/*.{yml,yaml}',
  '**/action.{yml,yaml}',
  '**/{.gitlab-ci,*.gitlab-ci}.{yml,yaml}',
  '**/.gitlab/ci/**/*.{yml,yaml}',
];

describe('language server over stdio', function () {
  this.timeout(30000);
  let client: LspTestClient;
  let root: string;

  beforeEach(async () => {
    root = tempTree({
      Dockerfile: 'FROM nginx\n',
      'sub/docker-compose.yml': 'services:\n  web:\n    image: redis:latest\n',
      'sub/ignored/Dockerfile': 'FROM nginx\n',
      '.gitignore': 'sub/ignored/\n',
    });
    client = new LspTestClient(SERVER_MAIN);
    const init = await client.initialize(uriOf(root));
    assert.ok(init.capabilities.codeActionProvider);
  });
  afterEach(async () => {
    await client.stop();
  });

  it('typing in a large document (partial re-analysis) publishes what a fresh open of it publishes', async () => {
    const stage = (i: number) =>
      `FROM debian:12 AS s${i}\n# step ${i}\nRUN apt-get update && apt-get install -y curl\n` +
      `RUN curl -fsSL https://example.com/i.sh | sh\nCOPY --from=s${Math.max(0, i - 1)} /a /b\n\n`;
    let text = Array.from({ length: 60 }, (_, i) => stage(i)).join('');
    const uri = uriOf(path.join(root, 'Large.Dockerfile'));
    await client.openAndWait(uri, 'dockerfile', text);
    const line = 30 * 6 + 2;
    const edits: Array<{
      range: { start: { line: number; character: number }; end: { line: number; character: number } };
      text: string;
    }> = [
      { range: { start: { line, character: 45 }, end: { line, character: 45 } }, text: ' wget' },
      { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: 'RUN pip install flask\n' },
      { range: { start: { line: line + 3, character: 0 }, end: { line: line + 4, character: 0 } }, text: '' },
    ];
    for (const [i, edit] of edits.entries()) {
      await client.change(uri, i + 2, edit);
      const lines = text.split('\n');
      const start =
        lines.slice(0, edit.range.start.line).join('\n').length +
        (edit.range.start.line > 0 ? 1 : 0) +
        edit.range.start.character;
      const end =
        lines.slice(0, edit.range.end.line).join('\n').length +
        (edit.range.end.line > 0 ? 1 : 0) +
        edit.range.end.character;
      text = text.slice(0, start) + edit.text + text.slice(end);
      const typed = await client.waitForPublish(uri, i + 2);
      // The same text opened fresh under another name is linted in full.
      const fresh = uri.replace('Large', `Fresh${i}`);
      const reference = await client.openAndWait(fresh, 'dockerfile', text);
      assert.ok(typed.length > 100);
      assert.deepEqual(typed, reference, `after edit ${i + 1}`);
    }
    assert.ok(typedHas(await client.waitForPublish(uri, 4), 'package-unpinned', line));
  });

  it('publishes on open and on change, with source, code and docs link', async () => {
    const uri = uriOf(path.join(root, 'Dockerfile'));
    const first = await client.openAndWait(uri, 'dockerfile', 'FROM nginx\n');
    assert.equal(first.length, 1);
    assert.deepEqual(first[0]!.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 10 } });
    assert.equal(first[0]!.source, 'driftguard');
    assert.equal(first[0]!.code, 'image-untagged');
    assert.match(first[0]!.codeDescription!.href, /docs\/rules\/image-untagged\.md$/);
    await client.change(uri, 2, {
      range: { start: { line: 0, character: 10 }, end: { line: 0, character: 10 } },
      text: ':latest',
    });
    const second = await client.waitForPublish(uri, 2);
    assert.deepEqual(
      second.map((d) => [d.code, d.range.start.character, d.range.end.character]),
      [['image-latest-tag', 11, 17]],
    );
  });

  it('offers ignore quick fixes whose edits silence the finding, and a fix-all', async () => {
    const uri = uriOf(path.join(root, 'Dockerfile'));
    const text = 'FROM alpine:3\nFROM nginx\n';
    const diagnostics = await client.openAndWait(uri, 'dockerfile', text);
    const untagged = diagnostics.find((d) => d.code === 'image-untagged')!;
    const actions = await client.codeActions(uri, untagged.range, [untagged], ['quickfix']);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Ignore image-untagged on this line'), titles.join());
    assert.ok(titles.includes('Ignore image-untagged in this file'));
    const line = actions.find((a) => a.title === 'Ignore image-untagged on this line')!;
    assert.equal((line.edit!.documentChanges![0] as TextDocumentEdit).textDocument.version, 1);
    assert.equal(
      applyEdits(text, editsOf(line, uri)),
      'FROM alpine:3\n# driftguard-ignore image-untagged -- reason\nFROM nginx\n',
    );
    const fixAll = await client.codeActions(
      uri,
      { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      [],
      ['source.fixAll.driftguard'],
    );
    assert.ok(fixAll.every((a) => a.kind === 'source.fixAll.driftguard'));
  });

  it('scans the workspace: unopened files get diagnostics, .gitignore is honoured, progress is reported', async () => {
    const result = await client.connection.sendRequest<{
      filesScanned: number;
      findings: number;
      filesWithFindings: number;
      cancelled: boolean;
    }>('driftguard/scanWorkspace', {});
    assert.deepEqual(
      { ...result, skipped: undefined },
      { filesScanned: 2, findings: 2, filesWithFindings: 2, cancelled: false, skipped: undefined },
    );
    const compose = await client.waitForPublish(uriOf(path.join(root, 'sub', 'docker-compose.yml')), 1);
    assert.equal(compose[0]!.code, 'image-latest-tag');
    assert.equal(client.publishCount(uriOf(path.join(root, 'sub', 'ignored', 'Dockerfile'))), 0);
  });

  it('reports config problems in the config file and applies a fixed config live', async () => {
    fs.writeFileSync(path.join(root, '.driftguard.yaml'), 'rules:\n  image-untagged: loud\n');
    const uri = uriOf(path.join(root, 'Dockerfile'));
    await client.open(uri, 'dockerfile', 'FROM nginx\n');
    const configUri = uriOf(path.join(root, '.driftguard.yaml'));
    const configDiagnostics = await client.waitForPublish(configUri, 1);
    assert.deepEqual(
      configDiagnostics.map((d) => [d.range.start.line, d.range.start.character, d.range.end.character, d.severity]),
      [[1, 18, 22, 1]],
    );
    assert.equal((await client.waitForPublish(uri, 1))[0]!.severity, 2);
    fs.writeFileSync(path.join(root, '.driftguard.yaml'), 'rules:\n  image-untagged: error\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: configUri, type: 2 }],
    });
    const after = await client.waitForPublish(uri, 2);
    assert.equal(after[0]!.severity, 1);
    assert.deepEqual(await client.waitForPublish(configUri, 2), []);
  });

  it('asks editors without watchers to watch config and .env files; a changed .env re-lints Compose', async () => {
    await client.stop();
    client = new LspTestClient(SERVER_MAIN);
    await client.initialize(uriOf(root), {
      workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } },
    });
    const deadline = Date.now() + 5000;
    while (!client.registrations.some((r) => r.method === 'workspace/didChangeWatchedFiles') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const watchers = client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles')!
      .registerOptions as { watchers: Array<{ globPattern: string }> };
    assert.deepEqual(
      watchers.watchers.map((w) => w.globPattern),
      ['**/.driftguard.yaml', '**/.driftguard.yml', '**/.env', ...BUILD_FILE_GLOBS],
    );
    const uri = uriOf(path.join(root, 'sub', 'docker-compose.yml'));
    assert.deepEqual(await client.openAndWait(uri, 'dockercompose', 'services:\n  web:\n    image: ${IMG}\n'), []);
    fs.writeFileSync(path.join(root, 'sub', '.env'), 'IMG=redis\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uriOf(path.join(root, 'sub', '.env')), type: 1 }],
    });
    assert.deepEqual(
      (await client.waitForPublish(uri, 2)).map((d) => d.code),
      ['image-untagged'],
    );
  });

  it('the VS Code client watches settings files itself: only the files builds come from are registered', async () => {
    await client.stop();
    client = new LspTestClient(SERVER_MAIN);
    await client.initialize(
      uriOf(root),
      { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
      { watchesFiles: true },
    );
    const uri = uriOf(path.join(root, 'Dockerfile'));
    await client.openAndWait(uri, 'dockerfile', 'FROM nginx\n');
    const globs = client.registrations
      .filter((r) => r.method === 'workspace/didChangeWatchedFiles')
      .flatMap((r) => (r.registerOptions as { watchers: Array<{ globPattern: string }> }).watchers)
      .map((w) => w.globPattern);
    assert.deepEqual(globs, BUILD_FILE_GLOBS);
  });

  it('without change notifications .env is read again on every lint; with them, once until it changes', async () => {
    const envPath = path.join(root, 'sub', '.env');
    const uri = uriOf(path.join(root, 'sub', 'docker-compose.yml'));
    const text = 'services:\n  web:\n    image: ${IMG}\n';
    const codesAfterEditingEnv = async (watched: boolean): Promise<string[][]> => {
      await client.stop();
      client = new LspTestClient(SERVER_MAIN);
      await client.initialize(uriOf(root), { workspace: { configuration: true } }, { watchesFiles: watched });
      fs.writeFileSync(envPath, 'IMG=redis\n');
      const opened = (await client.openAndWait(uri, 'dockercompose', text)).map((d) => String(d.code));
      fs.writeFileSync(envPath, 'IMG=redis:latest\n');
      await client.change(uri, 2, { text });
      return [opened, (await client.waitForPublish(uri, 2)).map((d) => String(d.code))];
    };
    assert.deepEqual(await codesAfterEditingEnv(false), [['image-untagged'], ['image-latest-tag']]);
    assert.deepEqual(
      await codesAfterEditingEnv(true),
      [['image-untagged'], ['image-untagged']],
      'the editor reports .env changes: the text is kept until then',
    );
  });

  it('a 10,000-file scan does not block the editor: an opened file is answered; cancel stops it', async function () {
    this.timeout(120000);
    const files: Record<string, string> = {};
    for (let i = 0; i < 10000; i++)
      files[`many/d${Math.floor(i / 100)}/s${i}/Dockerfile`] = `FROM nginx:1.${i}\nRUN apt-get install -y curl\n`;
    const big = tempTree(files);
    await client.stop();
    client = new LspTestClient(SERVER_MAIN);
    await client.initialize(uriOf(big));
    let scanDone = false;
    const scan = client.connection
      .sendRequest<{ filesScanned: number; cancelled: boolean }>('driftguard/scanWorkspace', {})
      .finally(() => (scanDone = true));
    while (!client.notifications.some((n) => n.method === 'driftguard/scanProgress'))
      await new Promise((r) => setTimeout(r, 10));
    const uri = uriOf(path.join(big, 'open.Dockerfile'));
    assert.equal(
      (await client.openAndWait(uri, 'dockerfile', 'FROM nginx\n', { timeoutMs: 60000 }))[0]!.code,
      'image-untagged',
    );
    // Answered while the scan still ran (on a busy machine too: the scan yields, it does not race a clock).
    assert.equal(scanDone, false, 'the opened file was answered only after the scan');
    const result = await scan;
    assert.equal(result.filesScanned, 10000);
    const source = new CancellationTokenSource();
    const progressBefore = client.notifications.length;
    const cancelled = client.connection.sendRequest<{ filesScanned: number; cancelled: boolean }>(
      'driftguard/scanWorkspace',
      {},
      source.token,
    );
    while (client.notifications.slice(progressBefore).filter((n) => n.method === 'driftguard/scanProgress').length < 2)
      await new Promise((r) => setTimeout(r, 5));
    source.cancel();
    const stopped = await cancelled;
    assert.equal(stopped.cancelled, true);
    assert.ok(stopped.filesScanned < 10000, `scanned ${stopped.filesScanned} files after cancel`);
  });

  it('editor settings override rules', async () => {
    client.configuration = { enable: true, rules: { 'image-untagged': 'off' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const uri = uriOf(path.join(root, 'Dockerfile'));
    assert.deepEqual(await client.openAndWait(uri, 'dockerfile', 'FROM nginx\n'), []);
  });
});
