import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { testEngine } from '../helpers/engine';
import { createEngine } from '../../server/src/createEngine';
import type { DocumentModel } from '../../server/src/engine/documentModel';
import { scan } from '../../server/src/cli/scan';
import { SCAN_THREADS_ENV } from '../../server/src/cli/threads';
import { toDiagnostic } from '../../server/src/lsp/convert';
import {
  ScanProgressNotification,
  ScanProgressParams,
  ScanWorkspaceRequest,
  ScanWorkspaceResult,
} from '../../server/src/lsp/protocol';
import type { ScanThreads } from '../../server/src/lsp/workspaceScan';
import { BuildScriptTracker } from '../../server/src/lsp/buildScriptTracker';
import { LspTestClient, SERVER_BUNDLE, uriOf, stopClientsAfterEach } from '../helpers/lspClient';
import { BUILDS_PROJECT, SCAN_PROJECT } from '../helpers/scanProject';
import { tempTree } from '../helpers/tempTree';

const DIGEST = 'sha256:' + 'a'.repeat(64);

/** What the CLI reports for `root`, as the diagnostics the server publishes (by URI), and the skipped files. */
async function cliFindings(root: string): Promise<{ published: Map<string, Diagnostic[]>; skipped: string[] }> {
  const outcome = await scan(testEngine(), { paths: [root], threads: 1 });
  return {
    published: new Map(
      outcome.files.filter((f) => !f.skipped).map((f) => [uriOf(f.path), f.problems.map(toDiagnostic)]),
    ),
    skipped: outcome.files.filter((f) => f.skipped).map((f) => uriOf(f.path)),
  };
}

async function serverScan(
  client: LspTestClient,
  root: string,
): Promise<{ result: ScanWorkspaceResult; published: Map<string, Diagnostic[]> }> {
  await client.initialize(uriOf(root));
  const result = await client.connection.sendRequest(ScanWorkspaceRequest, {});
  return { result, published: client.lastPublished() };
}

/** Runs `scan` with no DRIFTGUARD_SCAN_THREADS, which would force a thread count. */
async function withoutForcedThreads<T>(scan: () => Promise<T>): Promise<T> {
  const forced = process.env[SCAN_THREADS_ENV];
  delete process.env[SCAN_THREADS_ENV];
  try {
    return await scan();
  } finally {
    if (forced !== undefined) process.env[SCAN_THREADS_ENV] = forced;
  }
}

/** Every file on one of two workers, none on the main thread. */
const ON_WORKERS: ScanThreads = { threads: 3, threadFor: (filePath) => 1 + (filePath.length % 2) };

describe('Scan Workspace on the CLI’s worker threads', function () {
  this.timeout(60000);
  let client: LspTestClient | undefined;
  stopClientsAfterEach();

  it('publishes exactly what the CLI reports, with the files linted on workers', async () => {
    const root = tempTree(SCAN_PROJECT);
    const cli = await cliFindings(root);
    client = LspTestClient.inProcess({ scanThreads: ON_WORKERS });
    const { result, published } = await serverScan(client, root);
    assert.deepEqual(published, cli.published);
    assert.deepEqual(
      result.skipped.map((s) => s.uri),
      cli.skipped,
    );
    const counts = [...cli.published.values()].map((ds) => ds.length);
    assert.equal(
      result.findings,
      counts.reduce((a, b) => a + b, 0),
    );
    assert.equal(result.filesWithFindings, counts.filter((n) => n > 0).length);
    assert.equal(result.filesScanned, cli.published.size);
    assert.equal(result.cancelled, false);
  });

  it('a large scan runs on a worker by default: the editor’s thread visits and lints nothing', async () => {
    const root = tempTree(BUILDS_PROJECT);
    const cli = await cliFindings(root);
    const engine = await createEngine();
    let onMainThread = 0;
    const lint = engine.lint.bind(engine);
    engine.lint = (input, earlier) => (onMainThread++, lint(input, earlier));
    const buildDefinitions = engine.buildDefinitions.bind(engine);
    engine.buildDefinitions = (file, models) => (onMainThread++, buildDefinitions(file, models));
    // `minFiles: 0`: the size from which a scan starts its workers, so this small one does.
    client = LspTestClient.inProcess({ engine: Promise.resolve(engine), scanThreads: { minFiles: 0 } });
    const { result, published } = await withoutForcedThreads(() => serverScan(client!, root));
    assert.deepEqual(published, cli.published);
    assert.deepEqual(
      result.skipped.map((s) => s.uri),
      cli.skipped,
    );
    assert.equal(onMainThread, 0);
    // The next scan (the workspace index, no visit) too: every file published once more, the same.
    const counts = () => [...cli.published.keys()].map((uri) => client!.publishCount(uri));
    const before = counts();
    const again = await withoutForcedThreads(() => client!.connection.sendRequest(ScanWorkspaceRequest, {}));
    assert.deepEqual(
      counts(),
      before.map((n) => n + 1),
    );
    assert.deepEqual(client.lastPublished(), cli.published);
    assert.deepEqual(again, result);
    assert.equal(onMainThread, 0);
  });

  it('a scan cancelled while its worker visits the files answers at once, cancelled', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 3000; i++) files[`s${i}/run.sh`] = `#!/bin/sh\ncp run.sh "$OUT/${i}/"\n`;
    const root = tempTree(files);
    client = LspTestClient.inProcess({ scanThreads: { minFiles: 0 } });
    await client.initialize(uriOf(root));
    const source = new CancellationTokenSource();
    const scan = withoutForcedThreads(() => client!.connection.sendRequest(ScanWorkspaceRequest, {}, source.token));
    // The files are found; the worker is loading or visiting them.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const cancelledAt = Date.now();
    source.cancel();
    const result = await scan;
    assert.equal(result.cancelled, true);
    assert.equal(result.filesScanned, 0);
    assert.ok(Date.now() - cancelledAt < 1000, `answered ${Date.now() - cancelledAt} ms after the cancel`);
  });

  it('before any file is opened, knows what the workspace’s builds tell of its scripts, as the CLI does', async () => {
    // Nothing is opened first, so the server indexes the builds for the scan itself: the template a
    // generator copies beside a Dockerfile runs in its containers, the script a throwaway container
    // runs is not a live host, and a Compose build context finds the script its Dockerfile runs.
    const install = 'apt-get install -y curl\n';
    const edit = 'echo "session.save_handler = redis" > /usr/local/etc/php/conf.d/redis-session.ini\n';
    const root = tempTree({
      'update.sh': '#!/bin/sh\nfor v in 1 2; do cp docker-entrypoint.sh "$v/entrypoint.sh"; done\n',
      'docker-entrypoint.sh': `#!/bin/sh\n${edit}${install}exec "$@"\n`,
      '1/Dockerfile': `FROM php:8@${DIGEST}\nCOPY entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\n`,
      'make.sh': '#!/bin/sh\ndocker run --rm -v "$PWD:/src" -w /src debian:12 ./tools/build.sh\n',
      'tools/build.sh': `#!/bin/sh\n${install}`,
      'compose.yaml': 'services:\n  app:\n    build:\n      context: .\n      dockerfile: docker/app.Dockerfile\n',
      'docker/app.Dockerfile': `FROM debian:12@${DIGEST}\nCOPY scripts/setup.sh /tmp/\nRUN /tmp/setup.sh\n`,
      'scripts/setup.sh': `#!/bin/sh\n${install}`,
      'ops/host.sh': `#!/bin/sh\n${install}`,
    });
    const cli = await cliFindings(root);
    const onHost = (file: string) =>
      (cli.published.get(uriOf(path.join(root, file))) ?? []).filter(
        (d) => typeof d.message === 'string' && d.message.includes('on the host'),
      );
    // The CLI's view, which the server must match: only ops/host.sh edits a live host.
    assert.deepEqual(
      ['docker-entrypoint.sh', 'tools/build.sh', 'scripts/setup.sh', 'ops/host.sh'].map((f) => onHost(f).length > 0),
      [false, false, false, true],
    );
    client = LspTestClient.inProcess();
    const { published } = await serverScan(client, root);
    const brief = (m: Map<string, Diagnostic[]>) =>
      [...m].map(([u, ds]) => `${path.relative(root, new URL(u).pathname)}: ${ds.map((d) => d.code).join(',')}`).sort();
    assert.deepEqual(brief(published), brief(cli.published));
    assert.deepEqual(published, cli.published);
  });

  it('a workspace index that fails is logged and the scan still answers', async () => {
    const root = tempTree({ Dockerfile: 'FROM nginx\n', 'setup.sh': '#!/bin/sh\napt-get install -y curl\n' });
    const cli = await cliFindings(root);
    const buildScripts = new BuildScriptTracker();
    buildScripts.index = () => Promise.reject(new Error('disk gone'));
    client = LspTestClient.inProcess({ buildScripts });
    await client.initialize(uriOf(root));
    // An opened script starts the index (once its first diagnostics are out), which fails.
    const script = path.join(root, 'setup.sh');
    await client.openFileAndWait(script, 'shellscript');
    const result = await client.connection.sendRequest(ScanWorkspaceRequest, {});
    assert.ok(client.logs.some((line) => line.includes('workspace index failed: disk gone')));
    assert.deepEqual(client.lastPublished(), cli.published);
    assert.equal(result.filesScanned, 2);
  });

  it('on one thread, lints each Compose file from the parse its visit of the files read, as the CLI does', async () => {
    const root = tempTree({
      'compose.yaml': 'services:\n  app:\n    build: ./app\n  db:\n    image: postgres:${PG}\n',
      '.env': 'PG=latest\n',
      'app/Dockerfile': `FROM debian:12@${DIGEST}\nRUN apt-get install -y curl\n`,
      'tools/compose.yml': 'services:\n  web:\n    image: nginx\n',
      'run.sh': '#!/bin/sh\ncp a "$OUT/b"\n',
    });
    const engine = await createEngine();
    // Whether each file's lint read its document from a parse made before (the same YAML document).
    const earlierParse = new Map<string, boolean>();
    const lint = engine.lint.bind(engine);
    engine.lint = (input, earlier) => {
      const result = lint(input, earlier);
      const document = (model: DocumentModel | undefined) => (model?.parsed as { document?: unknown })?.document;
      const reread = earlier !== undefined && document(result.model) === document(earlier);
      earlierParse.set(path.basename(path.dirname(input.uri)) + '/' + path.basename(input.uri), reread);
      return result;
    };
    client = LspTestClient.inProcess({ engine: Promise.resolve(engine), scanThreads: { threads: 1 } });
    const { published } = await serverScan(client, root);
    assert.deepEqual(published, (await cliFindings(root)).published);
    const rootName = path.basename(root);
    assert.deepEqual(Object.fromEntries(earlierParse), {
      [`${rootName}/compose.yaml`]: true,
      // No `build` in it: the visit reads no builds, so made no parse of it.
      'tools/compose.yml': false,
      'app/Dockerfile': false,
      [`${rootName}/run.sh`]: false,
    });
    // A later scan uses the workspace index, with no visit: each file is parsed for its lint.
    earlierParse.clear();
    await client.connection.sendRequest(ScanWorkspaceRequest, {});
    assert.deepEqual([...earlierParse.values()], [false, false, false, false]);
  });

  it('reads no `.env` linked from outside the folders, and lists it as skipped, as the CLI does', async () => {
    const outside = tempTree({ '.env': 'TAG=latest\n' });
    const root = tempTree({ 'compose.yaml': 'services:\n  web:\n    image: nginx:${TAG}\n' });
    fs.symlinkSync(path.join(outside, '.env'), path.join(root, '.env'));
    const cli = await scan(testEngine(), { paths: [root], threads: 1 });
    client = LspTestClient.inProcess({ scanThreads: { threads: 1 } });
    const { result, published } = await serverScan(client, root);
    assert.deepEqual(published, (await cliFindings(root)).published);
    const compose = published.get(uriOf(path.join(root, 'compose.yaml')))!;
    assert.ok(!compose.some((d) => d.code === 'image-latest-tag'), 'the linked value was not read');
    assert.deepEqual(
      result.skipped.map((s) => s.uri),
      [uriOf(path.join(root, '.env'))],
    );
    assert.deepEqual(
      cli.skipped.map((entry) => [uriOf(entry.path), entry.reason]),
      result.skipped.map((entry) => [entry.uri, entry.reason]),
    );
    assert.match(result.skipped[0]!.reason, /^not read: /);
  });

  it('lists the skipped files in path order, on one thread or on a worker', async () => {
    const outside = tempTree({ '.env': 'TAG=latest\n' });
    const root = tempTree({ ...BUILDS_PROJECT, 'a/Dockerfile': Buffer.from([0x46, 0x00]) });
    fs.symlinkSync(path.join(outside, '.env'), path.join(root, 'app', '.env'));
    fs.writeFileSync(path.join(root, 'app', 'compose.yaml'), 'services:\n  app:\n    build: .\n');
    const skipped: Array<Array<[string, string]>> = [];
    for (const scanThreads of [{ threads: 1 }, { minFiles: 0 }]) {
      client = LspTestClient.inProcess({ scanThreads });
      const { result } = await withoutForcedThreads(() => serverScan(client!, root));
      skipped.push(result.skipped.map((entry) => [entry.uri, entry.reason]));
      await client.stop();
      client = undefined;
    }
    const uris = skipped[0]!.map(([uri]) => uri);
    assert.deepEqual(uris, [
      uriOf(path.join(root, 'a', 'Dockerfile')),
      uriOf(path.join(root, 'app', '.env')),
      uriOf(path.join(root, 'bin', 'Dockerfile')),
    ]);
    assert.deepEqual(skipped[1], skipped[0]);
  });

  it('the first scan indexes the workspace in its own visit of the files, and later scans use that index', async () => {
    const root = tempTree({
      'update.sh': '#!/bin/sh\nfor v in 1 2; do cp docker-entrypoint.sh "$v/entrypoint.sh"; done\n',
      'docker-entrypoint.sh': '#!/bin/sh\napt-get install -y curl\nexec "$@"\n',
      '1/Dockerfile': `FROM php:8@${DIGEST}\nCOPY entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\n`,
      'compose.yaml': 'services:\n  app:\n    build:\n      context: .\n      dockerfile: docker/app.Dockerfile\n',
      'docker/app.Dockerfile': `FROM debian:12@${DIGEST}\nCOPY scripts/setup.sh /tmp/\nRUN /tmp/setup.sh\n`,
      'scripts/setup.sh': '#!/bin/sh\napt-get install -y curl\n',
    });
    const cli = await cliFindings(root);
    const buildScripts = new BuildScriptTracker();
    let indexed = 0;
    const index = buildScripts.index.bind(buildScripts);
    buildScripts.index = (...args) => (indexed++, index(...args));
    client = LspTestClient.inProcess({ buildScripts });
    const { published } = await serverScan(client, root);
    assert.deepEqual(published, cli.published);
    assert.equal(indexed, 0, 'the scan read the workspace once: no index of its own');
    // The index the scan built is the editor's: the Dockerfile's stage for the script it runs,
    // and a script opened now is judged as the scan judged it, with no index run.
    assert.ok(buildScripts.covers([root]));
    assert.equal(
      buildScripts.runnerOf(path.join(root, 'scripts/setup.sh')).stage?.base?.reference,
      `debian:12@${DIGEST}`,
    );
    const entrypoint = path.join(root, 'docker-entrypoint.sh');
    assert.deepEqual(await client.openFileAndWait(entrypoint, 'shellscript'), cli.published.get(uriOf(entrypoint)));
    await client.connection.sendRequest(ScanWorkspaceRequest, {});
    assert.deepEqual(client.lastPublished(), cli.published);
    assert.equal(indexed, 0);
  });

  it('the real server (bundle, workers forced by DRIFTGUARD_SCAN_THREADS) publishes what the CLI reports', async () => {
    const root = tempTree(SCAN_PROJECT);
    const cli = await cliFindings(root);
    client = new LspTestClient(SERVER_BUNDLE, ['--stdio'], {
      ...process.env,
      DRIFTGUARD_SCAN_THREADS: '3',
    });
    const { published } = await serverScan(client, root);
    assert.deepEqual(published, cli.published);
  });

  it('editor rule settings apply on the workers too', async () => {
    const root = tempTree(SCAN_PROJECT);
    client = LspTestClient.inProcess({ scanThreads: ON_WORKERS });
    client.configuration = { enable: true, rules: { 'package-unpinned': 'off', 'image-untagged': 'error' } };
    const { published } = await serverScan(client, root);
    const all = [...published.values()].flat();
    assert.equal(all.filter((d) => d.code === 'package-unpinned').length, 0);
    const untagged = published
      .get(uriOf(path.join(root, 'web', 'Dockerfile')))!
      .find((d) => d.code === 'image-untagged');
    assert.equal(untagged?.severity, 1);
  });

  it('lists a FIFO .gitignore as skipped, as the CLI does, and scans the rest', async () => {
    const root = tempTree({ 'web/Dockerfile': 'FROM nginx\n', 'web/app.sh': 'curl -s https://x.example | sh\n' });
    execFileSync('mkfifo', [path.join(root, 'web', '.gitignore')]);
    const cli = await scan(testEngine(), { paths: [root], threads: 1 });
    client = LspTestClient.inProcess();
    const { result, published } = await serverScan(client, root);
    const skipped = result.skipped.map((s) => [s.uri, s.reason]);
    assert.deepEqual(skipped, [[uriOf(path.join(root, 'web', '.gitignore')), 'not read: not a regular file (a FIFO)']]);
    assert.deepEqual(
      cli.skipped.map((s) => [uriOf(s.path), s.reason]),
      skipped,
    );
    assert.equal(published.get(uriOf(path.join(root, 'web', 'app.sh')))?.length, 1);
  });

  it('reports progress with the total and stops when cancelled, workers included', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 2000; i++) files[`d${Math.floor(i / 100)}/s${i}/Dockerfile`] = `FROM nginx:1.${i}\n`;
    const root = tempTree(files);
    client = LspTestClient.inProcess({ scanThreads: { threads: 3 } });
    await client.initialize(uriOf(root));
    const source = new CancellationTokenSource();
    const progress: ScanProgressParams[] = [];
    client.connection.onNotification(ScanProgressNotification, (p: ScanProgressParams) => {
      progress.push(p);
      source.cancel();
    });
    const result = await client.connection.sendRequest(ScanWorkspaceRequest, {}, source.token);
    assert.equal(result.cancelled, true);
    assert.ok(result.filesScanned < 2000, `${result.filesScanned} files scanned after cancel`);
    assert.ok(progress.length > 0);
    for (const p of progress) assert.equal(p.total, 2000);
  });
});
