import * as assert from 'node:assert/strict';
import { delimiter } from 'node:path';
import { rmSync } from 'node:fs';
import { useClients, useSeededRegistry } from '../helpers/registryFixture';
import { startRegistry, tempDir, type RunningRegistry } from '../helpers/registryHarness';
import { makeTokenKey } from '../helpers/registryCerts';
import { startTokenServer, type RunningTokenServer } from '../helpers/registryTokenServer';
import { basicAuth, writeCredentialHelper, writeDockerConfig } from '../helpers/registryCredentials';
import { startFront, type FrontServer } from '../helpers/registryDoubles';

const USERS = { alice: 's3cret' };

describe('registry client authentication (real registry)', function () {
  this.timeout(15_000);
  const seeded = useSeededRegistry();
  const t = useClients();
  let basic: RunningRegistry;
  let token: RunningRegistry;
  let tokenServer: RunningTokenServer;
  const tokenOptions = {
    keyFile: '',
    issuer: 'test-issuer',
    service: 'test-registry',
    users: USERS,
    anonymousPull: false,
  };
  let keyDir: string;

  before(async function () {
    this.timeout(20_000);
    keyDir = tempDir('token-key');
    const key = makeTokenKey(keyDir);
    tokenOptions.keyFile = key.keyFile;
    tokenServer = await startTokenServer(tokenOptions);
    [basic, token] = await Promise.all([
      startRegistry({ dataDir: seeded.registry.dataDir, auth: { kind: 'basic', users: USERS } }),
      startRegistry({
        dataDir: seeded.registry.dataDir,
        auth: {
          kind: 'token',
          realm: tokenServer.realm,
          service: 'test-registry',
          issuer: 'test-issuer',
          rootCertFile: key.certFile,
        },
      }),
    ]);
  });
  after(async function () {
    this.timeout(10_000);
    await Promise.all([basic?.stop(), token?.stop(), tokenServer?.stop()]);
    rmSync(keyDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    tokenServer.requests.splice(0);
    tokenOptions.anonymousPull = false;
  });

  const configWith = (auths: Record<string, unknown>, extra: Record<string, unknown> = {}): string =>
    writeDockerConfig(t.dir('docker-config'), { auths, ...extra });

  describe('basic auth', () => {
    it('fails with a docker login hint without credentials', async () => {
      await assert.rejects(
        t.client().resolveDigest(`${basic.host}/library/nginx:latest`),
        (e: Error & { kind?: string; status?: number }) => {
          assert.equal(e.kind, 'unauthorized');
          assert.equal(e.message, `401 from ${basic.host}: log in with docker login`);
          return true;
        },
      );
    });

    it('uses the base64 auth field of config.json', async () => {
      const dir = configWith({ [basic.host]: { auth: basicAuth('alice', 's3cret') } });
      const r = await t.client({ dockerConfigDir: dir }).resolveDigest(`${basic.host}/library/nginx:latest`);
      assert.equal(r.digest, seeded.plan.nginxMainline.index.digest);
    });

    it('uses username/password entries keyed by URL, found through DOCKER_CONFIG', async () => {
      const dir = configWith({ [`http://${basic.host}/v2/`]: { username: 'alice', password: 's3cret' } });
      const r = await t
        .client({ env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', DOCKER_CONFIG: dir } })
        .resolveDigest(`${basic.host}/library/alpine:3`);
      assert.equal(r.digest, seeded.plan.alpine.digest);
    });

    it('reports rejected credentials', async () => {
      const dir = configWith({ [basic.host]: { auth: basicAuth('alice', 'wrong') } });
      await assert.rejects(
        t.client({ dockerConfigDir: dir }).resolveDigest(`${basic.host}/library/nginx:latest`),
        (e: Error & { kind?: string }) => {
          assert.equal(e.kind, 'unauthorized');
          assert.match(e.message, new RegExp(`^401 from ${basic.host.replace(/\./g, '\\.')}: credentials rejected`));
          return true;
        },
      );
    });

    it('sends credentials only to the host they belong to', async () => {
      const front: FrontServer = await startFront({ upstream: seeded.registry.url });
      try {
        const dir = configWith({ [basic.host]: { auth: basicAuth('alice', 's3cret') } });
        const c = t.client({ dockerConfigDir: dir });
        await c.resolveDigest(`${basic.host}/library/nginx:latest`);
        await c.resolveDigest(`${front.host}/library/nginx:latest`);
        assert.ok(front.requests.length >= 2);
        assert.deepEqual(
          front.requests.filter((r) => r.headers.authorization !== undefined),
          [],
        );
      } finally {
        await front.stop();
      }
    });
  });

  describe('bearer token auth', () => {
    it('fetches a token with the realm, service and scope of the challenge, using config credentials', async () => {
      const front = await startFront({ upstream: token.url });
      try {
        const dir = configWith({ [front.host]: { auth: basicAuth('alice', 's3cret') } });
        const c = t.client({ dockerConfigDir: dir });
        const r = await c.resolveDigest(`${front.host}/library/nginx:1.24`);
        assert.equal(r.digest, seeded.plan.nginxStable.index.digest);
        assert.equal(tokenServer.requests.length, 1);
        const [req] = tokenServer.requests;
        assert.deepEqual(req?.scopes, ['repository:library/nginx:pull']);
        assert.equal(req?.service, 'test-registry');
        assert.equal(req?.account, 'alice');
        assert.equal(req?.authorization, `Basic ${basicAuth('alice', 's3cret')}`);
        const unauthenticated = front.requests.filter((q) => !q.headers.authorization).length;
        assert.equal(unauthenticated, 1, 'one 401 round trip to learn the challenge');
        // same repository: the cached token is sent up front, no new token request
        await c.resolveDigest(`${front.host}/library/nginx:1.25`);
        assert.equal(tokenServer.requests.length, 1);
        // another repository: a token for the new scope, fetched before the request (no 401 first)
        await c.resolveDigest(`${front.host}/library/alpine:3`);
        assert.deepEqual(
          tokenServer.requests.map((q) => q.scopes[0]),
          ['repository:library/nginx:pull', 'repository:library/alpine:pull'],
        );
        assert.equal(front.requests.filter((q) => !q.headers.authorization).length, 1);
        const alpine = front.requests.filter((q) => q.url.includes('/library/alpine/'));
        assert.deepEqual(
          alpine.map((q) => q.method),
          ['HEAD', 'GET'],
        );
      } finally {
        await front.stop();
      }
    });

    it('gets an anonymous token without credentials, and reports 401 when it grants nothing', async () => {
      await assert.rejects(
        t.client().resolveDigest(`${token.host}/library/nginx:latest`),
        (e: Error & { kind?: string }) => {
          assert.equal(e.kind, 'unauthorized');
          assert.equal(e.message, `401 from ${token.host}: log in with docker login`);
          return true;
        },
      );
      assert.ok(tokenServer.requests.length >= 1);
      assert.equal(tokenServer.requests[0]?.authorization, undefined);
    });

    it('pulls with an anonymous token when the token service grants anonymous pull (Docker Hub style)', async () => {
      tokenOptions.anonymousPull = true;
      const r = await t.client().resolveDigest(`${token.host}/library/busybox:latest`);
      assert.equal(r.digest, seeded.plan.busybox.digest);
      assert.equal(tokenServer.requests.length, 1);
      assert.equal(tokenServer.requests[0]?.authorization, undefined);
      assert.deepEqual(tokenServer.requests[0]?.scopes, ['repository:library/busybox:pull']);
    });

    it('reports credentials rejected by the token service', async () => {
      const dir = configWith({ [token.host]: { auth: basicAuth('alice', 'nope') } });
      await assert.rejects(
        t.client({ dockerConfigDir: dir }).resolveDigest(`${token.host}/library/nginx:latest`),
        (e: Error & { kind?: string }) => {
          assert.equal(e.kind, 'unauthorized');
          assert.match(e.message, /credentials rejected by token service 127\.0\.0\.1:\d+/);
          return true;
        },
      );
    });
  });

  describe('credential helpers', () => {
    const helperEnv = (binDir: string): NodeJS.ProcessEnv => ({
      PATH: `${binDir}${delimiter}${process.env.PATH ?? ''}`,
      HOME: '/nonexistent',
    });

    it('runs docker-credential-<name> from credHelpers when allowed', async () => {
      const bin = t.dir('bin');
      const helper = writeCredentialHelper(bin, basic.host, 'alice', 's3cret');
      const dir = configWith({}, { credHelpers: { [basic.host]: 'dgtest' } });
      const r = await t
        .client({ dockerConfigDir: dir, allowCredentialHelpers: true, env: helperEnv(bin) })
        .resolveDigest(`${basic.host}/library/nginx:stable`);
      assert.equal(r.digest, seeded.plan.nginxStable.index.digest);
      assert.deepEqual(helper.calls(), [basic.host]);
    });

    it('runs the credsStore helper for token auth', async () => {
      const bin = t.dir('bin');
      const helper = writeCredentialHelper(bin, token.host, 'alice', 's3cret');
      const dir = configWith({ [token.host]: {} }, { credsStore: 'dgtest' });
      const r = await t
        .client({ dockerConfigDir: dir, allowCredentialHelpers: true, env: helperEnv(bin) })
        .resolveDigest(`${token.host}/library/alpine:latest`);
      assert.equal(r.digest, seeded.plan.alpine.digest);
      assert.deepEqual(helper.calls(), [token.host]);
      assert.equal(tokenServer.requests[0]?.account, 'alice');
    });

    it('never runs a helper unless allowCredentialHelpers is set (untrusted workspace)', async () => {
      const bin = t.dir('bin');
      const helper = writeCredentialHelper(bin, basic.host, 'alice', 's3cret');
      const dir = configWith({}, { credHelpers: { [basic.host]: 'dgtest' } });
      await assert.rejects(
        t.client({ dockerConfigDir: dir, env: helperEnv(bin) }).resolveDigest(`${basic.host}/library/nginx:stable`),
        { kind: 'unauthorized' },
      );
      assert.deepEqual(helper.calls(), []);
    });

    it('treats a helper that knows no credentials as anonymous', async () => {
      const bin = t.dir('bin');
      const helper = writeCredentialHelper(bin, 'somewhere.example', 'alice', 's3cret');
      const dir = configWith({}, { credsStore: 'dgtest' });
      await assert.rejects(
        t
          .client({ dockerConfigDir: dir, allowCredentialHelpers: true, env: helperEnv(bin) })
          .resolveDigest(`${basic.host}/library/nginx:1`),
        (e: Error) => {
          assert.equal(e.message, `401 from ${basic.host}: log in with docker login`);
          return true;
        },
      );
      assert.deepEqual(helper.calls(), [basic.host]);
    });
  });

  describe('redirects', () => {
    it('drops Authorization on a redirect to another host, keeps it on the same host', async () => {
      // B (127.0.0.2) serves the content anonymously; A (127.0.0.1) needs basic auth and redirects manifests by digest
      // to B.
      const b = await startFront({ upstream: seeded.registry.url, bind: '127.0.0.2' });
      const a = await startFront({
        upstream: basic.url,
        handle: (req, res) => {
          const url = req.url ?? '';
          if (req.method === 'GET' && /\/manifests\/sha256:/.test(url) && req.headers.authorization) {
            res.writeHead(307, { Location: `http://${b.host}${url}` }).end();
            return true;
          }
          if (
            req.method === 'HEAD' &&
            /\/manifests\//.test(url) &&
            req.headers.authorization &&
            !url.includes('moved=1')
          ) {
            res.writeHead(307, { Location: `${url}?moved=1` }).end();
            return true;
          }
          return false;
        },
      });
      try {
        const dir = configWith({ [a.host]: { auth: basicAuth('alice', 's3cret') } });
        const r = await t.client({ dockerConfigDir: dir }).resolveDigest(`${a.host}/library/nginx:latest`);
        assert.equal(r.digest, seeded.plan.nginxMainline.index.digest);
        const moved = a.requests.find((q) => q.url.includes('moved=1'));
        assert.equal(
          moved?.headers.authorization,
          `Basic ${basicAuth('alice', 's3cret')}`,
          'same-host redirect keeps Authorization',
        );
        assert.ok(b.requests.length >= 1, 'the other host was reached');
        assert.deepEqual(
          b.requests.map((q) => q.headers.authorization),
          b.requests.map(() => undefined),
        );
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    });
  });
});
