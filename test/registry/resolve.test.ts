import * as assert from 'node:assert/strict';
import { MANIFEST_ACCEPT, MEDIA_TYPES } from '../../server/src/registry';
import { useClients, useSeededRegistry } from '../helpers/registryFixture';
import { Seeder } from '../helpers/registrySeed';

describe('registry client against a real registry (no auth)', function () {
  this.timeout(10_000);
  const seeded = useSeededRegistry();
  const t = useClients();
  const ref = (name: string): string => `${seeded.registry.host}/${name}`;

  describe('resolveDigest', () => {
    it('returns the manifest list digest of a multi-arch tag, with its platforms', async () => {
      const r = await t.client().resolveDigest(ref('library/nginx:latest'));
      assert.equal(r.digest, seeded.plan.nginxMainline.index.digest);
      assert.equal(r.mediaType, MEDIA_TYPES.dockerList);
      assert.deepEqual(r.platforms, ['linux/amd64', 'linux/arm64/v8']);
      assert.equal(r.platformDigest, undefined);
      assert.equal(r.reference.registry, seeded.registry.host);
      assert.equal(r.reference.repository, 'library/nginx');
    });

    it('returns the OCI index digest pushed (all four Accept types sent)', async () => {
      const r = await t.client().resolveDigest(ref('library/nginx:1.25.3-oci'));
      assert.equal(r.digest, seeded.plan.nginxOci.index.digest);
      assert.equal(r.mediaType, MEDIA_TYPES.ociIndex);
    });

    it('returns the manifest digest of a single-arch image (Docker schema2 and OCI)', async () => {
      const c = t.client();
      const alpine = await c.resolveDigest(ref('library/alpine:3.19'));
      assert.equal(alpine.digest, seeded.plan.alpine.digest);
      assert.equal(alpine.mediaType, MEDIA_TYPES.dockerManifest);
      assert.deepEqual(alpine.platforms, []);
      const busybox = await c.resolveDigest(ref('library/busybox:1.36.1'));
      assert.equal(busybox.digest, seeded.plan.busybox.digest);
      assert.equal(busybox.mediaType, MEDIA_TYPES.ociManifest);
    });

    it('treats an untagged reference as latest', async () => {
      const r = await t.client().resolveDigest(ref('library/nginx'));
      assert.equal(r.digest, seeded.plan.nginxMainline.index.digest);
      assert.equal(r.reference.tag, undefined);
    });

    it('resolves a digest reference without a tag lookup', async () => {
      const d = seeded.plan.nginxStable.index.digest;
      const r = await t.client().resolveDigest(ref(`library/nginx@${d}`));
      assert.equal(r.digest, d);
      assert.deepEqual(r.platforms, ['linux/amd64', 'linux/arm64/v8']);
    });

    it('pins the platform manifest from an index with the platform option', async () => {
      const [amd64, arm64] = seeded.plan.nginxMainline.images;
      const a = await t.client({ platform: 'linux/amd64' }).resolveDigest(ref('library/nginx:1.25'));
      assert.equal(a.digest, seeded.plan.nginxMainline.index.digest);
      assert.equal(a.platformDigest, amd64?.digest);
      const b = await t.client({ platform: 'linux/arm64' }).resolveDigest(ref('library/nginx:1.25'));
      assert.equal(b.platformDigest, arm64?.digest);
      const c = await t.client({ platform: 'linux/arm64/v8' }).resolveDigest(ref('library/nginx:1.25.3-oci'));
      assert.equal(c.platformDigest, seeded.plan.nginxOci.images[1]?.digest);
    });

    it('fails with not-found when the index lacks the platform', async () => {
      await assert.rejects(
        t.client({ platform: 'linux/s390x' }).resolveDigest(ref('library/nginx:1.25')),
        (e: Error & { kind?: string }) => {
          assert.equal(e.kind, 'not-found');
          assert.match(e.message, /no linux\/s390x image .* \(has linux\/amd64, linux\/arm64\/v8\)/);
          return true;
        },
      );
    });

    it('leaves platformDigest unset for a single-arch image', async () => {
      const r = await t.client({ platform: 'linux/arm64' }).resolveDigest(ref('library/alpine:3'));
      assert.equal(r.digest, seeded.plan.alpine.digest);
      assert.equal(r.platformDigest, undefined);
    });

    it('fails with not-found for an unknown tag and an unknown repository', async () => {
      const c = t.client();
      await assert.rejects(
        c.resolveDigest(ref('library/nginx:9.9.9')),
        (e: Error & { kind?: string; status?: number }) => {
          assert.equal(e.kind, 'not-found');
          assert.equal(e.status, 404);
          assert.match(
            e.message,
            new RegExp(`library/nginx:9\\.9\\.9 not found on ${seeded.registry.host.replace(/\./g, '\\.')}`),
          );
          return true;
        },
      );
      await assert.rejects(c.resolveDigest(ref('library/nope:1')), { kind: 'not-found' });
    });
  });

  it('the registry itself returns other digests for partial Accept lists (why all four are sent)', async () => {
    const s = new Seeder(seeded.registry.url);
    try {
      const head = async (accept: string): Promise<string | undefined> => {
        const r = await s.request('HEAD', '/v2/library/nginx/manifests/latest', { Accept: accept });
        return r.status === 200 ? String(r.headers['docker-content-digest']) : `status ${r.status}`;
      };
      assert.equal(await head(MANIFEST_ACCEPT), seeded.plan.nginxMainline.index.digest);
      assert.equal(await head(MEDIA_TYPES.dockerManifest), seeded.plan.nginxMainline.images[0]?.digest);
      assert.notEqual(await head(MEDIA_TYPES.ociIndex), seeded.plan.nginxMainline.index.digest);
      assert.equal(
        (await s.request('HEAD', '/v2/library/nginx/manifests/1.25.3-oci', { Accept: MEDIA_TYPES.dockerList })).status,
        404,
      );
    } finally {
      s.close();
    }
  });

  describe('tags', () => {
    it('lists every tag of a repository', async () => {
      const tags = await t.client().listTags(ref('library/nginx'));
      assert.deepEqual([...tags].sort(), [
        '1',
        '1.24',
        '1.24.0',
        '1.25',
        '1.25-alpine',
        '1.25.3',
        '1.25.3-alpine',
        '1.25.3-oci',
        'alpine',
        'latest',
        'mainline',
        'stable',
      ]);
    });

    it('finds the tags sharing a digest', async () => {
      const c = t.client();
      assert.deepEqual(await c.tagsSharingDigest(ref('library/nginx:latest')), [
        'latest',
        'mainline',
        '1',
        '1.25',
        '1.25.3',
      ]);
      assert.deepEqual(await c.tagsSharingDigest(ref('library/nginx:1.24')), ['stable', '1.24', '1.24.0']);
    });
  });

  describe('findVersionForLatest', () => {
    it('prefers the most specific version tag with the same digest', async () => {
      const c = t.client();
      const m = await c.findVersionForLatest(ref('library/nginx:latest'));
      assert.equal(m?.tag, '1.25.3');
      assert.equal(m?.digest, seeded.plan.nginxMainline.index.digest);
      assert.equal((await c.findVersionForLatest(ref('library/nginx')))?.tag, '1.25.3');
      assert.equal((await c.findVersionForLatest(ref('library/nginx:stable')))?.tag, '1.24.0');
      assert.equal((await c.findVersionForLatest(ref('library/nginx:1.24')))?.tag, '1.24.0');
      assert.equal((await c.findVersionForLatest(ref('library/alpine:latest')))?.tag, '3.19.0');
    });

    it('keeps the flavor of a flavor tag (alpine → 1.25.3-alpine)', async () => {
      assert.equal((await t.client().findVersionForLatest(ref('library/nginx:alpine')))?.tag, '1.25.3-alpine');
    });

    it('returns undefined when no version tag shares the digest', async () => {
      assert.equal(await t.client().findVersionForLatest(ref('library/solo:latest')), undefined);
    });

    it('adds the platform digest when the platform option is set', async () => {
      const m = await t.client({ platform: 'linux/arm64' }).findVersionForLatest(ref('library/nginx:latest'));
      assert.equal(m?.tag, '1.25.3');
      assert.equal(m?.platformDigest, seeded.plan.nginxMainline.images[1]?.digest);
    });
  });

  describe('inspect', () => {
    it('collects digest, platforms, tags sharing the digest and the created date', async () => {
      const info = await t.client().inspect(ref('library/nginx:1.24'));
      assert.equal(info.digest, seeded.plan.nginxStable.index.digest);
      assert.deepEqual(info.platforms, ['linux/amd64', 'linux/arm64/v8']);
      assert.deepEqual(info.tagsSharingDigest, ['stable', '1.24', '1.24.0']);
      assert.equal(info.created, '2023-11-01T00:00:00Z');
    });

    it('uses the chosen platform for the created date, and the manifest config for single-arch images', async () => {
      assert.equal(
        (await t.client({ platform: 'linux/arm64' }).inspect(ref('library/nginx:1.24'))).created,
        '2023-11-02T00:00:00Z',
      );
      const single = await t.client().inspect(ref('library/busybox:latest'));
      assert.equal(single.created, '2024-01-15T12:00:00Z');
      assert.deepEqual(single.tagsSharingDigest, ['latest', '1.36.1']);
    });
  });
});
