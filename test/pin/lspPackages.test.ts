import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeAction, Diagnostic, Hover, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol';
import { applyEdits } from '../../server/src/engine/fixes';
import { tempTree } from '../helpers/tempTree';
import { LspTestClient, SERVER_MAIN, uriOf } from '../helpers/lspClient';
import { useSeededRegistry } from '../helpers/registryFixture';
import { pushBaseImages } from '../helpers/baseImages';
import { serveFolder, StaticServer } from '../helpers/staticServer';
import { writePackageIndices } from '../helpers/packageIndices';

const editsOf = (action: CodeAction): TextEdit[] =>
  ((action.edit?.documentChanges?.[0] as TextDocumentEdit | undefined)?.edits ?? []) as TextEdit[];

describe('package pins in the language server (loopback indices)', function () {
  this.timeout(60_000);
  const seeded = useSeededRegistry();
  let indices: StaticServer;
  let indicesRoot: string;
  let client: LspTestClient | undefined;

  before(async function () {
    this.timeout(120_000);
    await pushBaseImages(seeded.registry.url, 'bookworm');
    indicesRoot = writePackageIndices();
    indices = await serveFolder(indicesRoot);
  });
  after(async () => {
    await indices?.close();
    if (indicesRoot) fs.rmSync(indicesRoot, { recursive: true, force: true });
  });
  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });

  /** A server on a workspace folder holding `files`, with the loopback indices as mirrors. */
  async function start(
    files: Record<string, string>,
    options?: unknown,
  ): Promise<{ root: string; client: LspTestClient }> {
    const root = tempTree(files);
    client = new LspTestClient(SERVER_MAIN);
    client.configuration = { enable: true, rules: { 'package-unpinned': 'warning' } };
    // Mirrors come through the user-only channel, never through workspace/configuration.
    const mirrors = {
      ubuntu: `${indices.url}/ubuntu`,
      'ubuntu-security': `${indices.url}/ubuntu-security`,
      pypi: `${indices.url}/pypi/simple`,
    };
    await client.initialize(uriOf(root), {}, { ...(options as object), userSettings: { packages: { mirrors } } });
    return { root, client };
  }

  async function open(text: string, options?: unknown) {
    const { root, client } = await start({ Dockerfile: text }, options);
    const uri = uriOf(path.join(root, 'Dockerfile'));
    const diagnostics = (await client.openAndWait(uri, 'dockerfile', text)).filter(
      (d) => d.code === 'package-unpinned',
    );
    const actionsAt = async (index: number) =>
      await client.codeActions(uri, diagnostics[index]!.range, [diagnostics[index]!], ['quickfix']);
    return { uri, diagnostics, actionsAt };
  }

  const text =
    'FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y \\\n    curl \\\n    jq\nRUN pip install requests\n';

  it('lists without asking anything, resolves the one picked, then shows the exact version', async () => {
    const { diagnostics, actionsAt } = await open(text);
    assert.equal(diagnostics.length, 3);
    const before = indices.requests.length;
    const actions = await actionsAt(0);
    assert.equal(indices.requests.length, before, 'listing sent nothing');
    assert.deepEqual(
      actions.filter((a) => a.data).map((a) => a.title),
      ['Pin curl to the version apt would install today', 'Pin all 2 packages in this RUN'],
    );
    const resolved = await client!.connection.sendRequest<CodeAction>('codeAction/resolve', actions[0]);
    assert.equal(resolved.disabled, undefined);
    assert.equal(applyEdits(text, editsOf(resolved)), text.replace('    curl \\', '    curl=8.5.0-2ubuntu10.6 \\'));
    assert.equal(resolved.title, `Pin curl to 8.5.0-2ubuntu10.6 (noble, 127.0.0.1:${new URL(indices.url).port})`);
    const again = await actionsAt(0);
    assert.ok(
      again.some((a) => a.title.startsWith('Pin curl to 8.5.0-2ubuntu10.6 (noble') && a.edit),
      again.map((a) => a.title).join(),
    );
    const all = await client!.connection.sendRequest<CodeAction>('codeAction/resolve', actions[1]);
    assert.equal(
      applyEdits(text, editsOf(all)),
      text.replace('    curl \\', '    curl=8.5.0-2ubuntu10.6 \\').replace('    jq\n', '    jq=1.7.1-3build1\n'),
    );
    const pip = await client!.connection.sendRequest<CodeAction>('codeAction/resolve', (await actionsAt(2))[0]);
    assert.equal(applyEdits(text, editsOf(pip)), text.replace('pip install requests', 'pip install requests==2.32.3'));
  });

  it('hover shows the candidate and its source', async () => {
    const { uri, diagnostics } = await open(text);
    const hover = await client!.connection.sendRequest<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: diagnostics[1]!.range.start,
    });
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /\*\*jq\*\* \(apt, unpinned\)/);
    assert.match(value, /Today: `jq=1\.7\.1-3build1` — from noble on 127\.0\.0\.1:\d+/);
  });

  it('offers to pin a base image whose tag does not name the release', async () => {
    const host = seeded.registry.host;
    const { actionsAt } = await open(`FROM ${host}/library/python:3.12-slim\nRUN apt-get install -y curl\n`);
    const titles = (await actionsAt(0)).map((a) => a.title);
    assert.ok(
      titles.includes(`Pin base image ${host}/library/python:3.12-slim to its digest (its tag moves between releases)`),
      titles.join('\n'),
    );
  });

  it('a script the Dockerfile runs is pinned for the stage that runs it', async () => {
    const script = 'set -e\napt-get install -y curl\npip install requests\n';
    const { root, client } = await start({
      Dockerfile: 'FROM ubuntu:24.04\nCOPY setup.sh /usr/local/bin/\nRUN setup.sh\n',
      'setup.sh': script,
    });
    const uri = uriOf(path.join(root, 'setup.sh'));
    await client.open(uri, 'shellscript', script);
    // Linted as live code first, then again once the workspace's Dockerfiles are indexed.
    const unpinned = (ds: Diagnostic[]) => ds.some((d) => d.code === 'package-unpinned');
    const { diagnostics } = await client.waitForPublishWhere(uri, unpinned, { timeoutMs: 60_000 });
    const curl = diagnostics.find((d) => d.code === 'package-unpinned')!;
    const [action] = await client.codeActions(uri, curl.range, [curl], ['quickfix']);
    const resolved = await client.connection.sendRequest<CodeAction>('codeAction/resolve', action);
    assert.equal(applyEdits(script, editsOf(resolved)), script.replace('-y curl', '-y curl=8.5.0-2ubuntu10.6'));
    assert.match(resolved.title, /^Pin curl to 8\.5\.0-2ubuntu10\.6 \(noble/);
  });

  it('untrusted workspace: the fix says why and a resolve sent anyway asks nothing', async () => {
    const { actionsAt } = await open(text, { trusted: false });
    const before = indices.requests.length;
    const [action] = await actionsAt(0);
    assert.match(action!.disabled?.reason ?? '', /untrusted/);
    const forged = {
      title: 'x',
      data: {
        kind: 'driftguard.pinPackages',
        uri: 'file:///x',
        version: 1,
        targets: [
          {
            written: 'requests',
            name: 'requests',
            family: 'pip',
            ecosystem: 'pypi',
            range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
            insertAt: { line: 0, character: 1 },
            instruction: { line: 0, keyword: 'RUN' },
          },
        ],
      },
    };
    const resolved = await client!.connection.sendRequest<CodeAction>('codeAction/resolve', forged);
    assert.match(resolved.disabled?.reason ?? '', /untrusted/);
    assert.equal(indices.requests.length, before);
  });
});
