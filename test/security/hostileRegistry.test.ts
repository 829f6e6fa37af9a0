import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../helpers/cli';
import { manifestBody, OCI_MANIFEST, sha256Of, startFakeRegistry } from '../helpers/fakeRegistry';
import { startFront, type FrontHandler, type FrontServer } from '../helpers/registryDoubles';
import { basicAuth, writeDockerConfig } from '../helpers/registryCredentials';
import { tempTree } from '../helpers/tempTree';

/** A registry handler whose manifest answers claim `digest` for `body`. */
function claimingDigest(digest: string, body: Buffer): FrontHandler {
  return (req, res) => {
    if (!/\/manifests\//.test(req.url ?? '')) return false;
    res.writeHead(200, { 'Content-Type': OCI_MANIFEST, 'Docker-Content-Digest': digest });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}

/** `FROM <registry>/app` is pinned to `app:1.0@<digest of body>`. */
async function pinsLatestTo1_0(registry: FrontServer, body: Buffer): Promise<void> {
  const root = tempTree({ Dockerfile: `FROM ${registry.host}/app\n` });
  const r = await runCli(['pin', 'Dockerfile'], { cwd: root });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(
    fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8'),
    `FROM ${registry.host}/app:1.0@${sha256Of(body)}\n`,
  );
}

/** `driftguard pin` against registries on loopback that lie, redirect, or never stop answering. */
describe('driftguard pin against a hostile registry', function () {
  this.timeout(30_000);
  const servers: FrontServer[] = [];
  const serve = async (server: Promise<FrontServer>): Promise<FrontServer> => {
    const s = await server;
    servers.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  it('sends no credentials to a token service named by a host the registry redirected to (item 2)', async () => {
    const tokens = await serve(
      startFront({
        bind: '127.0.0.3',
        handle: (_req, res) => {
          res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"token":"stolen"}');
          return true;
        },
      }),
    );
    const elsewhere = await serve(
      startFront({
        bind: '127.0.0.2',
        handle: (_req, res) => {
          res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="http://${tokens.host}/token",service="x"` }).end();
          return true;
        },
      }),
    );
    const registry = await serve(
      startFront({
        handle: (req, res) => {
          res.writeHead(307, { Location: `http://${elsewhere.host}${req.url}` }).end();
          return true;
        },
      }),
    );
    const root = tempTree({ Dockerfile: `FROM ${registry.host}/app:1\n` });
    const dockerConfig = writeDockerConfig(path.join(root, '.docker'), {
      auths: { [registry.host]: { auth: basicAuth('alice', 's3cret') } },
    });
    const r = await runCli(['pin', 'Dockerfile'], { cwd: root, env: { DOCKER_CONFIG: dockerConfig } });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /not pinned: .*401 from 127\.0\.0\.2/);
    assert.deepEqual(tokens.requests, [], 'the third host was never asked');
    const sent = [...registry.requests, ...elsewhere.requests].map((q) => q.headers.authorization);
    assert.deepEqual(
      sent,
      sent.map(() => undefined),
    );
    assert.equal(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8'), `FROM ${registry.host}/app:1\n`);
  });

  describe('digests (item 4)', () => {
    const body = manifestBody('app 1');
    const cases: Array<[string, string]> = [
      ['an unknown algorithm', 'evil:AAAA'],
      ['a sha512 digest the content does not hash to', `sha512:${'ab'.repeat(64)}`],
      ['a sha256 digest the content does not hash to', sha256Of('something else')],
      ['a digest with a path in it', `sha256:${'a'.repeat(64)}/../../x`],
    ];
    for (const [what, digest] of cases) {
      it(`writes nothing when the registry answers ${what}`, async () => {
        const registry = await serve(
          startFakeRegistry({
            repos: { app: { '1': body, latest: body } },
            handle: claimingDigest(digest, body),
          }),
        );
        const text = `FROM ${registry.host}/app:1\nFROM ${registry.host}/app:latest\n`;
        const root = tempTree({ Dockerfile: text });
        const r = await runCli(['pin', 'Dockerfile'], { cwd: root });
        assert.equal(r.code, 1, r.stdout + r.stderr);
        assert.match(r.stdout, /:1: .*app:1: not pinned: malformed/);
        assert.match(r.stdout, /:2: .*app:latest: not pinned: malformed/);
        assert.equal(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8'), text);
      });
    }

    it('verifies the manifest before writing the digest found for latest', async () => {
      // HEAD says latest and 1.0 share a digest the registry never serves content for.
      const claimed = sha256Of('not the manifest');
      const registry = await serve(
        startFakeRegistry({
          repos: { app: { latest: body, '1.0': body } },
          handle: claimingDigest(claimed, body),
        }),
      );
      const text = `FROM ${registry.host}/app\n`;
      const root = tempTree({ Dockerfile: text });
      const r = await runCli(['pin', 'Dockerfile'], { cwd: root });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /not pinned: malformed manifest .*does not match/);
      assert.equal(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8'), text);
    });

    it('still pins a sha256 digest the content hashes to', async () => {
      const registry = await serve(startFakeRegistry({ repos: { app: { latest: body, '1.0': body } } }));
      await pinsLatestTo1_0(registry, body);
    });
  });

  describe('unbounded answers (item 9)', () => {
    const body = manifestBody('app');

    it('stops paging a tag list that never ends, and still pins', async () => {
      let page = 0;
      const registry = await serve(
        startFakeRegistry({
          repos: { app: { latest: body, '1.0': body } },
          handle: (req, res) => {
            if (!/\/tags\/list/.test(req.url ?? '')) return false;
            page++;
            // 2,000 new tags of ~500 KB per page, and always one more page.
            const tags = Array.from({ length: 2000 }, (_, i) => `0.${page}.${i}-${'x'.repeat(240)}`);
            if (page === 1) tags.push('latest', '1.0');
            res.writeHead(200, {
              'Content-Type': 'application/json',
              Link: `</v2/app/tags/list?last=p${page}>; rel="next"`,
            });
            res.end(JSON.stringify({ name: 'app', tags }));
            return true;
          },
        }),
      );
      await pinsLatestTo1_0(registry, body);
      const pages = registry.requests.filter((q) => q.url.includes('/tags/list')).length;
      assert.ok(pages <= 10, `${pages} pages of tags were fetched`);
    });

    it('stops when a Link repeats', async () => {
      const registry = await serve(
        startFakeRegistry({
          repos: { app: { latest: body, '1.0': body } },
          handle: (req, res) => {
            if (!/\/tags\/list/.test(req.url ?? '')) return false;
            res.writeHead(200, { 'Content-Type': 'application/json', Link: '</v2/app/tags/list?last=a>; rel="next"' });
            res.end(JSON.stringify({ name: 'app', tags: ['latest', '1.0'] }));
            return true;
          },
        }),
      );
      const root = tempTree({ Dockerfile: `FROM ${registry.host}/app\n` });
      const r = await runCli(['pin', 'Dockerfile'], { cwd: root });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(registry.requests.filter((q) => q.url.includes('/tags/list')).length, 2);
    });

    it('gives every lookup one overall deadline', async () => {
      // 100 version tags, none of them latest's digest, each HEAD answered slowly: without an
      // overall deadline the lookup goes on through every one of them.
      const tags: Record<string, Buffer> = { latest: body };
      for (let i = 0; i < 100; i++) tags[`1.${i}`] = manifestBody(`old ${i}`);
      const registry = await serve(
        startFakeRegistry({
          repos: { app: tags },
          handle: (req, _res, forward) => {
            if (req.method !== 'HEAD' || /latest$/.test(req.url ?? '')) return false;
            setTimeout(forward, 300);
            return true;
          },
        }),
      );
      const root = tempTree({ Dockerfile: `FROM ${registry.host}/app\n` });
      const r = await runCli(['pin', '--timeout', '500', 'Dockerfile'], { cwd: root });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /not pinned: .*(took longer than|timeout)/);
      const heads = registry.requests.filter((q) => q.method === 'HEAD').length;
      assert.ok(heads < 100, `${heads} HEAD requests`);
    });
  });
});
