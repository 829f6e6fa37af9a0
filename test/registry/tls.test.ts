import * as assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { useClients, useSeededRegistry } from '../helpers/registryFixture';
import { startRegistry, tempDir, type RunningRegistry } from '../helpers/registryHarness';
import { makeTestCa, type TestCa } from '../helpers/registryCerts';
import { startConnectProxy } from '../helpers/registryDoubles';

describe('registry client over TLS with a custom CA, and through a proxy', function () {
  this.timeout(10_000);
  const seeded = useSeededRegistry();
  const t = useClients();
  let registry: RunningRegistry;
  let ca: TestCa;
  let caDir: string;

  before(async function () {
    this.timeout(20_000);
    caDir = tempDir('ca');
    ca = makeTestCa(caDir);
    registry = await startRegistry({
      dataDir: seeded.registry.dataDir,
      tls: { certFile: ca.certFile, keyFile: ca.keyFile },
    });
  });
  after(async () => {
    await registry?.stop();
    rmSync(caDir, { recursive: true, force: true });
  });

  it('verifies the registry certificate against caFile', async () => {
    const r = await t.client({ caFile: ca.caFile }).resolveDigest(`${registry.host}/library/nginx:latest`);
    assert.equal(r.digest, seeded.plan.nginxMainline.index.digest);
  });

  it('fails without the CA (no silent downgrade to plain HTTP, even on loopback)', async () => {
    await assert.rejects(
      t.client().resolveDigest(`${registry.host}/library/nginx:latest`),
      (e: Error & { kind?: string }) => {
        assert.equal(e.kind, 'unreachable');
        assert.match(
          e.message,
          new RegExp(
            `^registry unreachable: TLS certificate of ${registry.host.replace(/\./g, '\\.')} not trusted ` +
              `\\(\\w+\\); set registry\\.caFile$`,
          ),
        );
        return true;
      },
    );
  });

  it('reports an unreadable caFile', async () => {
    await assert.rejects(
      t.client({ caFile: '/nonexistent/ca.pem' }).resolveDigest(`${registry.host}/library/nginx:latest`),
      {
        kind: 'unreachable',
        message: 'cannot read registry.caFile /nonexistent/ca.pem: ENOENT',
      },
    );
  });

  it('tunnels HTTPS through an explicit proxy with CONNECT', async () => {
    const proxy = await startConnectProxy();
    try {
      const url = new URL(proxy.url);
      url.username = 'bob';
      url.password = 'pw';
      const r = await t
        .client({ caFile: ca.caFile, proxy: url.toString() })
        .inspect(`${registry.host}/library/alpine:latest`);
      assert.equal(r.digest, seeded.plan.alpine.digest);
      assert.equal(r.created, '2024-01-15T12:00:00Z');
      assert.ok(proxy.targets.length >= 1);
      assert.ok(proxy.targets.every((target) => target === registry.host));
      assert.equal(proxy.authorizations[0], `Basic ${Buffer.from('bob:pw').toString('base64')}`);
    } finally {
      await proxy.stop();
    }
  });

  it('honours NO_PROXY for an explicit proxy, and never uses HTTPS_PROXY for loopback', async () => {
    const proxy = await startConnectProxy();
    try {
      const viaNoProxy = t.client({ caFile: ca.caFile, proxy: proxy.url, noProxy: '127.0.0.1' });
      assert.equal(
        (await viaNoProxy.resolveDigest(`${registry.host}/library/alpine:3`)).digest,
        seeded.plan.alpine.digest,
      );
      const viaEnv = t.client({ caFile: ca.caFile, env: { HTTPS_PROXY: proxy.url, HOME: '/nonexistent' } });
      assert.equal((await viaEnv.resolveDigest(`${registry.host}/library/alpine:3`)).digest, seeded.plan.alpine.digest);
      assert.deepEqual(proxy.targets, []);
    } finally {
      await proxy.stop();
    }
  });
});
