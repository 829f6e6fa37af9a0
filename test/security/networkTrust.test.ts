import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { runCli } from '../helpers/cli';
import { manifestBody, sha256Of, startFakeRegistry } from '../helpers/fakeRegistry';
import { freshCacheDir, LspTestClient, SERVER_MAIN, uriOf } from '../helpers/lspClient';
import { startFront, type FrontServer } from '../helpers/registryDoubles';
import { DidChangeUserSettingsNotification, FileStatusRequest } from '../../server/src/lsp/protocol';
import { RegistryService } from '../../server/src/lsp/registryService';
import type { ServerServices } from '../../server/src/lsp/server';
import { tempTree } from '../helpers/tempTree';

/** The registry service's lookups (each may send requests through its client). */
const REACHING = ['pinFacts', 'inspect', 'tagDigest'] as const;

/**
 * Server services whose registry services record each call that may reach the network, as it is
 * made. A listing handler that started a lookup would have called one before it answered, so the
 * count after a response is exact (no waiting for a request that should not come).
 */
function countingRegistries(calls: string[]): Partial<ServerServices> {
  return {
    createRegistry: (trusted, _cacheDir, log) => {
      const service = new RegistryService(trusted, freshCacheDir(), log);
      const methods = service as unknown as Record<string, (...args: unknown[]) => unknown>;
      for (const name of REACHING) {
        const original = methods[name]!.bind(service);
        methods[name] = (...args) => {
          calls.push(name);
          return original(...args);
        };
      }
      return service;
    },
  };
}

/** Item 3: no request the user did not cause; network rules, hosts and trust only from the user. */
describe('network access only when the user asks', function () {
  this.timeout(30_000);
  const current = manifestBody('app 1 now');
  const pinned = sha256Of(manifestBody('app 1 before'));
  let registry: FrontServer;
  let downloads: FrontServer;
  let client: LspTestClient | undefined;
  let calls: string[];
  before(async () => {
    registry = await startFakeRegistry({ repos: { app: { '1': current, latest: current, '1.0': current } } });
    downloads = await startFront({
      handle: (_req, res) => {
        res.writeHead(200).end('tool');
        return true;
      },
    });
  });
  after(async () => {
    await registry.stop();
    await downloads.stop();
  });
  beforeEach(() => {
    registry.requests.splice(0);
    downloads.requests.splice(0);
    calls = [];
  });
  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });

  async function open(
    files: Record<string, string>,
    options: { initializationOptions?: unknown; configuration?: unknown; stdio?: boolean } = {},
  ): Promise<{ uri: string; diagnostics: Diagnostic[]; root: string }> {
    const root = tempTree(files);
    client = options.stdio ? new LspTestClient(SERVER_MAIN) : LspTestClient.inProcess(countingRegistries(calls));
    if (options.configuration) client.configuration = options.configuration;
    await client.initialize(uriOf(root), {}, options.initializationOptions);
    const uri = uriOf(path.join(root, 'Dockerfile'));
    return { uri, diagnostics: await client.openAndWait(uri, 'dockerfile', files.Dockerfile!), root };
  }

  const listActions = (uri: string, diagnostics: Diagnostic[]) =>
    client!.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } }, diagnostics);

  /** The first publish from the n-th on that `accept`s, waiting for more as they come. */
  async function publishWhere(uri: string, n: number, accept: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    return (await client!.waitForPublishWhere(uri, accept, { from: n, timeoutMs: 20_000 })).diagnostics;
  }

  it('listing code actions sends nothing; picking one does', async () => {
    const url = `http://${downloads.host}/tool.tgz`;
    const { uri, diagnostics } = await open({
      Dockerfile: `FROM ${registry.host}/app:1\nADD ${url} /opt/\n`,
    });
    for (let i = 0; i < 3; i++) await listActions(uri, diagnostics);
    assert.equal(calls.join(), '', 'listing code actions started a registry lookup');
    assert.deepEqual(registry.requests, []);
    const listed = await listActions(uri, diagnostics);
    const pin = listed.find((a) => (a.data as { kind?: string } | undefined)?.kind === 'driftguard.pin')!;
    const checksum = listed.find((a) => (a.data as { kind?: string } | undefined)?.kind === 'driftguard.checksum')!;
    assert.ok(pin && checksum, JSON.stringify(listed.map((a) => a.title)));
    const resolvedPin = await client!.connection.sendRequest<CodeAction>('codeAction/resolve', pin);
    assert.ok(resolvedPin.edit, JSON.stringify(resolvedPin));
    assert.ok(calls.includes('pinFacts'));
    assert.ok(registry.requests.length > 0);
    const resolvedChecksum = await client!.connection.sendRequest<CodeAction>('codeAction/resolve', checksum);
    assert.ok(resolvedChecksum.edit, JSON.stringify(resolvedChecksum));
    // One download: the one the pick caused (listing four times fetched nothing).
    assert.equal(downloads.requests.length, 1);
  });

  it('a repository cannot turn on network rules: not by its config, not by workspace settings', async () => {
    const { uri, diagnostics } = await open(
      {
        Dockerfile: `FROM ${registry.host}/app:1@${pinned}\n`,
        '.driftguard.yaml': 'extends: strict\nrules:\n  image-digest-stale: error\n',
      },
      {
        configuration: {
          enable: true,
          rules: { 'image-digest-stale': 'error' },
          online: true,
          registry: { enable: true, insecure: [registry.host] },
        },
      },
    );
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      [],
    );
    const status = await client!.connection.sendRequest(FileStatusRequest, { uri });
    assert.equal(status.preset, 'strict');
    assert.ok(status.rulesOff.includes('image-digest-stale'), JSON.stringify(status));
    // The stale-digest lookups start while the document is linted, before its diagnostics are published.
    assert.equal(calls.join(), '');
    assert.deepEqual(registry.requests, []);
  });

  it('a config file that tries to set network access gets a config error for it', async () => {
    const { root } = await open({
      Dockerfile: 'FROM alpine:3@sha256:' + 'a'.repeat(64) + '\n',
      '.driftguard.yaml': 'online: true\nmirrors:\n  debian: http://evil.example/debian\n',
    });
    const config = await client!.waitForPublish(uriOf(path.join(root, '.driftguard.yaml')), 1);
    assert.deepEqual(
      config.map((d) => (typeof d.message === 'string' ? d.message : d.message.value).split(':')[0]),
      ['online cannot be set in a config file', 'mirrors cannot be set in a config file'],
    );
  });

  it('the user turns online checks on at start: the stale digest is looked up and reported', async () => {
    const { uri } = await open(
      { Dockerfile: `FROM ${registry.host}/app:1@${pinned}\n` },
      { initializationOptions: { userSettings: { online: true } }, stdio: true },
    );
    const stale = await publishWhere(uri, 2, (d) => d.length > 0);
    assert.deepEqual(
      stale.map((d) => [d.code, d.severity]),
      [['image-digest-stale', 2]],
    );
  });

  it('the user turns online checks on (and off) while the server runs: no restart', async () => {
    const { uri, diagnostics } = await open({ Dockerfile: `FROM ${registry.host}/app:1@${pinned}\n` });
    assert.deepEqual(diagnostics, []);
    assert.equal(calls.join(), '');
    const published = client!.publishCount(uri);
    await client!.connection.sendNotification(DidChangeUserSettingsNotification, { userSettings: { online: true } });
    const stale = await publishWhere(uri, published + 1, (d) => d.length > 0);
    assert.deepEqual(
      stale.map((d) => d.code),
      ['image-digest-stale'],
    );
    assert.ok(calls.includes('tagDigest'));
    const again = client!.publishCount(uri);
    await client!.connection.sendNotification(DidChangeUserSettingsNotification, { userSettings: { online: false } });
    assert.deepEqual(await publishWhere(uri, again + 1, () => true), []);
  });

  it('in an untrusted workspace a resolve request downloads nothing', async () => {
    const url = `http://${downloads.host}/tool.tgz`;
    const { uri, diagnostics } = await open(
      { Dockerfile: `FROM alpine:3@sha256:${'a'.repeat(64)}\nADD ${url} /opt/\n` },
      { initializationOptions: { trusted: false }, stdio: true },
    );
    assert.ok(diagnostics.some((d) => d.code === 'remote-add-unverified'));
    // The data a trusted listing would carry, sent anyway.
    const action: CodeAction = {
      title: 'Add --checksum',
      data: { kind: 'driftguard.checksum', uri, version: 1, url, at: { line: 1, character: 3 } },
    };
    const resolved = await client!.connection.sendRequest<CodeAction>('codeAction/resolve', action);
    assert.equal(resolved.edit, undefined);
    assert.match(resolved.disabled?.reason ?? '', /untrusted/);
    // A download would have finished before the resolve answered (it hashes the whole file).
    assert.deepEqual(downloads.requests, []);
  });

  it('trust granted after start takes effect without a restart', async () => {
    const { uri, diagnostics } = await open(
      { Dockerfile: `FROM ${registry.host}/app:1\n` },
      { initializationOptions: { trusted: false }, stdio: true },
    );
    const before = (await listActions(uri, diagnostics)).find((a) => a.title.startsWith('Pin'))!;
    assert.match(before.disabled?.reason ?? '', /untrusted/);
    await client!.connection.sendNotification(DidChangeUserSettingsNotification, { trusted: true });
    const after = (await listActions(uri, diagnostics)).find((a) => a.title.startsWith('Pin'))!;
    assert.equal(after.disabled, undefined);
    const resolved = await client!.connection.sendRequest<CodeAction>('codeAction/resolve', after);
    assert.ok(resolved.edit, JSON.stringify(resolved));
  });

  describe('CLI', () => {
    it('--online is the only way to run network rules; a config file cannot', async () => {
      const root = tempTree({
        Dockerfile: `FROM ${registry.host}/app:1@${pinned}\n`,
        '.driftguard.yaml': 'extends: strict\nrules:\n  image-digest-stale: error\n',
      });
      const offline = await runCli(['--format', 'json', '.'], { cwd: root });
      assert.equal(registry.requests.length, 0);
      assert.doesNotMatch(offline.stdout, /image-digest-stale/);
      const online = await runCli(['--format', 'json', '--online', '.'], { cwd: root });
      const report = JSON.parse(online.stdout) as {
        files: Array<{ problems: Array<{ ruleId: string; severity: string }> }>;
      };
      assert.deepEqual(
        report.files.flatMap((f) => f.problems.map((p) => [p.ruleId, p.severity])),
        [['image-digest-stale', 'error']],
        online.stderr,
      );
      assert.ok(registry.requests.length > 0);
    });

    it('--config cannot point network access anywhere: github, registry and proxy keys are config errors', async () => {
      const root = tempTree({
        Dockerfile: 'FROM alpine\n',
        'net.yaml':
          'github:\n  url: https://evil.example\nregistry:\n  insecure: [evil.example]\nproxy: http://evil.example\n',
      });
      const r = await runCli(['--config', 'net.yaml', '--format', 'json', '.'], { cwd: root });
      assert.equal(r.code, 2);
      assert.deepEqual(
        (JSON.parse(r.stdout) as { configProblems: Array<{ message: string }> }).configProblems.map(
          (p) => p.message.split(':')[0],
        ),
        [
          'github cannot be set in a config file',
          'registry cannot be set in a config file',
          'proxy cannot be set in a config file',
        ],
      );
    });
  });
});
