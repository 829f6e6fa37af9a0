import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Diagnostic, FileChangeType } from 'vscode-languageserver-protocol';
import { scan } from '../../server/src/cli/scan';
import { toDiagnostic } from '../../server/src/lsp/convert';
import { ScanWorkspaceRequest } from '../../server/src/lsp/protocol';
import { testEngine } from '../helpers/engine';
import { LspTestClient, uriOf, stopClientsAfterEach } from '../helpers/lspClient';
import { tempTree } from '../helpers/tempTree';

const DIGEST = 'sha256:' + 'a'.repeat(64);
const INSTALL = '#!/bin/sh\napt-get install -y curl\n';

/** `rule@line` for each diagnostic. */
function codes(diagnostics: Array<{ code?: unknown; range: { start: { line: number } } }>): string[] {
  return diagnostics.map((d) => `${String(d.code)}@${d.range.start.line}`).sort();
}

/**
 * Waits, publish after publish, until the diagnostics of `uri` are `wanted` (a state, not a time: each
 * publish answers a lint the server ran) and returns the publish count then.
 */
async function until(client: LspTestClient, uri: string, wanted: string[], from = 1): Promise<number> {
  const isWanted = (diagnostics: Diagnostic[]) => JSON.stringify(codes(diagnostics)) === JSON.stringify(wanted);
  return (await client.waitForPublishWhere(uri, isWanted, { from, timeoutMs: 30000 })).n;
}

describe('language server: files that define builds are read again when they change', function () {
  this.timeout(60000);
  let client: LspTestClient | undefined;
  stopClientsAfterEach();

  it('a Dockerfile opened first gets diagnostics at once, then the CLI’s once the workspace is indexed', async () => {
    const root = tempTree({
      'compose.yaml':
        'services:\n  app:\n    build:\n      context: ./app\n      additional_contexts:\n        base: ./base\n',
      'app/Dockerfile': `FROM base\nFROM debian:12@${DIGEST}\n`,
    });
    const cli = await scan(testEngine(), { paths: [root], threads: 1 });
    const cliCodes = codes(cli.files.find((f) => f.path.endsWith('Dockerfile'))!.problems.map(toDiagnostic));
    assert.deepEqual(cliCodes, []);
    client = LspTestClient.inProcess();
    await client.initialize(uriOf(root));
    const dockerfile = await client.openFile(path.join(root, 'app', 'Dockerfile'), 'dockerfile');
    // Published before the index is read (it starts after): `base` is not known as a named context yet.
    assert.deepEqual(codes(await client.waitForPublish(dockerfile, 1)), ['image-untagged@0']);
    await until(client, dockerfile, cliCodes, 2);
  });

  it('once the workspace is indexed, only the open scripts whose input it changed are linted again', async () => {
    const root = tempTree({
      Dockerfile: `FROM debian:12@${DIGEST}\nCOPY setup.sh /setup.sh\nRUN /setup.sh\n`,
      'setup.sh': INSTALL,
      'ops/host.sh': INSTALL,
    });
    const cli = await scan(testEngine(), { paths: [root], threads: 1 });
    const cliCodes = (file: string) =>
      codes(cli.files.find((f) => f.path === path.join(root, file))!.problems.map(toDiagnostic));
    assert.notDeepEqual(cliCodes('setup.sh'), cliCodes('ops/host.sh'), 'a build script is judged otherwise');
    client = LspTestClient.inProcess();
    await client.initialize(uriOf(root));
    const host = await client.openFile(path.join(root, 'ops', 'host.sh'), 'shellscript');
    assert.deepEqual(codes(await client.waitForPublish(host, 1)), cliCodes('ops/host.sh'));
    const setup = await client.openFile(path.join(root, 'setup.sh'), 'shellscript');
    await until(client, setup, cliCodes('setup.sh'));
    // Scan Workspace waits for the index to end: the script whose context it did not change was not linted again.
    await client.connection.sendRequest(ScanWorkspaceRequest, {});
    assert.equal(client.publishCount(host), 1);
  });

  it('a Compose file edited in the editor: a named context is added, the Dockerfile is linted again', async () => {
    const root = tempTree({
      'compose.yaml': 'services:\n  app:\n    build: ./app\n',
      'app/Dockerfile': `FROM base\nFROM debian:12@${DIGEST}\n`,
    });
    client = LspTestClient.inProcess();
    await client.initialize(uriOf(root));
    const dockerfile = await client.openFile(path.join(root, 'app', 'Dockerfile'), 'dockerfile');
    // Indexed, and linted again after it: `base` is an image still.
    let n = await until(client, dockerfile, ['image-untagged@0']);
    const compose = await client.openFile(path.join(root, 'compose.yaml'), 'dockercompose');
    await client.change(compose, 2, {
      text: 'services:\n  app:\n    build:\n      context: ./app\n      additional_contexts:\n        base: ./base\n',
    });
    n = await until(client, dockerfile, [], n + 1);
    // Back as it was: `base` is an image again.
    await client.change(compose, 3, { text: 'services:\n  app:\n    build: ./app\n' });
    await until(client, dockerfile, ['image-untagged@0'], n + 1);
  });

  it('bake and workflow files changed on disk (watched): named contexts, scripts CI steps run', async () => {
    const root = tempTree({
      'web/Dockerfile': `FROM tools\nFROM nginx:1@${DIGEST}\n`,
      'deploy/install.sh': INSTALL,
    });
    client = LspTestClient.inProcess();
    await client.initialize(uriOf(root), { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } });
    const dockerfile = await client.openFile(path.join(root, 'web', 'Dockerfile'), 'dockerfile');
    const script = await client.openFile(path.join(root, 'deploy', 'install.sh'), 'shellscript');
    let n = await until(client, dockerfile, ['image-untagged@0']);
    let m = await until(client, script, ['live-package-change@1']);
    const watched = client.registrations
      .filter((r) => r.method === 'workspace/didChangeWatchedFiles')
      .flatMap((r) => (r.registerOptions as { watchers: Array<{ globPattern: string }> }).watchers)
      .map((w) => w.globPattern);
    for (const glob of ['**/docker-bake*.{hcl,json}', '**/.github/workflows/*.{yml,yaml}', '**/*Dockerfile*'])
      assert.ok(watched.includes(glob), `${glob} is not watched: ${watched.join(', ')}`);

    const bake = path.join(root, 'docker-bake.hcl');
    fs.writeFileSync(
      bake,
      'target "web" {\n  context = "web"\n  contexts = {\n    tools = "docker-image://alpine:3"\n  }\n}\n',
    );
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uriOf(bake), type: FileChangeType.Created }],
    });
    n = await until(client, dockerfile, [], n + 1);

    const workflow = path.join(root, '.github', 'workflows', 'deploy.yml');
    fs.mkdirSync(path.dirname(workflow), { recursive: true });
    fs.writeFileSync(
      workflow,
      'on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./install.sh\n' +
        '        working-directory: deploy\n',
    );
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uriOf(workflow), type: FileChangeType.Created }],
    });
    // A script a CI step runs is on a runner, thrown away after the job.
    m = await until(client, script, [], m + 1);

    fs.rmSync(bake);
    fs.rmSync(workflow);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: uriOf(bake), type: FileChangeType.Deleted },
        { uri: uriOf(workflow), type: FileChangeType.Deleted },
      ],
    });
    await until(client, dockerfile, ['image-untagged@0'], n + 1);
    await until(client, script, ['live-package-change@1'], m + 1);
  });
});
