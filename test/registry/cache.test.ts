import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useClients, useSeededRegistry } from '../helpers/registryFixture';
import { startFront, type FrontServer } from '../helpers/registryDoubles';
import { RegistryCache } from '../../server/src/registry/cache';

describe('registry client caching', function () {
  this.timeout(10_000);
  const seeded = useSeededRegistry();
  const t = useClients();
  let front: FrontServer;
  beforeEach(async () => {
    front = await startFront({ upstream: seeded.registry.url });
  });
  afterEach(async () => {
    await front.stop();
  });

  it('answers a repeated lookup from memory without any request', async () => {
    const c = t.client();
    const first = await c.resolveDigest(`${front.host}/library/nginx:latest`);
    const sent = front.requests.length;
    assert.equal(sent, 2, 'HEAD by tag, then GET by digest');
    const second = await c.resolveDigest(`${front.host}/library/nginx:latest`);
    assert.deepEqual(second, first);
    assert.equal(front.requests.length, sent);
    await c.inspect(`${front.host}/library/nginx:latest`);
    const afterInspect = front.requests.length;
    await c.inspect(`${front.host}/library/nginx:latest`);
    await c.findVersionForLatest(`${front.host}/library/nginx:latest`);
    assert.equal(front.requests.length, afterInspect);
  });

  it('re-checks a tag after the TTL with a single HEAD (the digest content stays cached)', async () => {
    const c = t.client({ tagTtlMs: 50 });
    await c.resolveDigest(`${front.host}/library/nginx:stable`);
    await new Promise((r) => setTimeout(r, 80));
    front.requests.splice(0);
    await c.resolveDigest(`${front.host}/library/nginx:stable`);
    assert.deepEqual(
      front.requests.map((r) => `${r.method} ${r.url}`),
      ['HEAD /v2/library/nginx/manifests/stable'],
    );
  });

  it('persists to cacheDir and serves a new client from disk', async () => {
    const dir = t.dir('cache');
    const a = t.client({ cacheDir: dir });
    const first = await a.inspect(`${front.host}/library/alpine:3.19`);
    await a.flush();
    assert.ok(existsSync(join(dir, 'registry-cache.json')));
    const onDisk = JSON.parse(readFileSync(join(dir, 'registry-cache.json'), 'utf8')) as {
      version: number;
      tags: Record<string, { digest: string }>;
    };
    assert.equal(onDisk.version, 1);
    assert.equal(onDisk.tags[`${front.host}/library/alpine:3.19`]?.digest, seeded.plan.alpine.digest);
    front.requests.splice(0);
    const b = t.client({ cacheDir: dir });
    const again = await b.resolveDigest(`${front.host}/library/alpine:3.19`);
    assert.equal(again.digest, first.digest);
    assert.equal(front.requests.length, 0);
  });

  describe('RegistryCache', () => {
    it('expires tags after the TTL but keeps digests forever', () => {
      let now = 1_000;
      const cache = new RegistryCache({ tagTtlMs: 100, now: () => now });
      cache.setTag('docker.io/library/nginx:latest', 'sha256:aa');
      cache.setDigest('docker.io/library/nginx@sha256:aa', { mediaType: 'x' });
      cache.setList('docker.io/library/nginx', ['latest']);
      now += 100;
      assert.equal(cache.getTag('docker.io/library/nginx:latest'), 'sha256:aa');
      assert.deepEqual(cache.getList('docker.io/library/nginx'), ['latest']);
      now += 1;
      assert.equal(cache.getTag('docker.io/library/nginx:latest'), undefined);
      assert.equal(cache.getList('docker.io/library/nginx'), undefined);
      now += 10 ** 9;
      assert.deepEqual(cache.getDigest('docker.io/library/nginx@sha256:aa'), { mediaType: 'x' });
    });

    it('ignores an unreadable cache file', async () => {
      const dir = t.dir('cache');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(dir, 'registry-cache.json'), '{broken');
      const cache = new RegistryCache({ dir });
      assert.equal(cache.getTag('x:y'), undefined);
      cache.setTag('x:y', 'sha256:' + 'b'.repeat(64));
      await cache.flush();
      assert.equal(new RegistryCache({ dir }).getTag('x:y'), 'sha256:' + 'b'.repeat(64));
    });
  });
});
