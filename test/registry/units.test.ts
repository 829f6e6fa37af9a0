import * as assert from 'node:assert/strict';
import {
  normalizeReference,
  formatReference,
  parseWwwAuthenticate,
  nextPage,
  RegistryError,
} from '../../server/src/registry';
import { parseRetryAfter } from '../../server/src/net/http';
import { isLoopbackHost, matchesNoProxy, plainHttpAllowed } from '../../server/src/net/hostPolicy';
import { proxyFor } from '../../server/src/net/proxy';
import { parseManifest, pickPlatform, type PlatformChild } from '../../server/src/registry/manifest';
import { configKeyHost, dockerServerKey } from '../../server/src/registry/credentials';
import { findMostSpecific, versionCandidates } from '../../server/src/registry/versions';

describe('registry client units', () => {
  describe('normalizeReference', () => {
    const cases: Array<[string, string, string, string, string | undefined, string | undefined]> = [
      // text, registry, apiHost, repository, tag, digest
      ['nginx', 'docker.io', 'registry-1.docker.io', 'library/nginx', undefined, undefined],
      ['nginx:1.25', 'docker.io', 'registry-1.docker.io', 'library/nginx', '1.25', undefined],
      ['user/app', 'docker.io', 'registry-1.docker.io', 'user/app', undefined, undefined],
      ['docker.io/nginx:latest', 'docker.io', 'registry-1.docker.io', 'library/nginx', 'latest', undefined],
      ['index.docker.io/library/nginx', 'docker.io', 'registry-1.docker.io', 'library/nginx', undefined, undefined],
      ['ghcr.io/org/tool/sub:v1', 'ghcr.io', 'ghcr.io', 'org/tool/sub', 'v1', undefined],
      ['localhost/app', 'localhost', 'localhost', 'app', undefined, undefined],
      ['localhost:5000/app:2', 'localhost:5000', 'localhost:5000', 'app', '2', undefined],
      [
        'registry.example.com:8443/team/app',
        'registry.example.com:8443',
        'registry.example.com:8443',
        'team/app',
        undefined,
        undefined,
      ],
      [
        `nginx:1@sha256:${'a'.repeat(64)}`,
        'docker.io',
        'registry-1.docker.io',
        'library/nginx',
        '1',
        `sha256:${'a'.repeat(64)}`,
      ],
    ];
    for (const [text, registry, apiHost, repository, tag, digest] of cases) {
      it(`normalises ${text}`, () => {
        const r = normalizeReference(text);
        assert.deepEqual(r, { registry, apiHost, repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) });
      });
    }
    it('formats canonically and rejects non-references', () => {
      assert.equal(formatReference(normalizeReference('nginx:1')), 'docker.io/library/nginx:1');
      assert.throws(
        () => normalizeReference('Not A Ref'),
        (e: unknown) => e instanceof RegistryError && e.kind === 'malformed',
      );
    });
  });

  describe('parseWwwAuthenticate', () => {
    it('reads a Docker Hub bearer challenge', () => {
      assert.deepEqual(
        parseWwwAuthenticate(
          'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",' +
            'scope="repository:library/nginx:pull"',
        ),
        [
          {
            scheme: 'bearer',
            params: {
              realm: 'https://auth.docker.io/token',
              service: 'registry.docker.io',
              scope: 'repository:library/nginx:pull',
            },
          },
        ],
      );
    });
    it('reads several challenges, unquoted values and escapes', () => {
      assert.deepEqual(
        parseWwwAuthenticate('Basic realm="a \\"b\\"", Bearer realm=https://x/t , error="invalid_token"'),
        [
          { scheme: 'basic', params: { realm: 'a "b"' } },
          { scheme: 'bearer', params: { realm: 'https://x/t', error: 'invalid_token' } },
        ],
      );
      assert.deepEqual(parseWwwAuthenticate(''), []);
    });
  });

  describe('versions', () => {
    const tags = [
      'latest',
      '1',
      '1.27',
      '1.27.2',
      '1.27.1',
      '1.26',
      '1.26.3',
      'v1.27.2',
      '2-alpine',
      '1.27.2-alpine',
      '1.27-alpine',
      'alpine',
      'mainline',
      '1.27.2rc1',
    ];
    it('orders candidates so refinements follow their base', () => {
      assert.deepEqual(
        versionCandidates(tags, 'latest').map((v) => v.tag),
        ['1', '1.27', '1.27.2', 'v1.27.2', '1.27.1', '1.26', '1.26.3'],
      );
      assert.deepEqual(
        versionCandidates(tags, 'alpine').map((v) => v.tag),
        ['2-alpine', '1.27-alpine', '1.27.2-alpine'],
      );
      assert.deepEqual(
        versionCandidates(tags, 'lts-alpine').map((v) => v.tag),
        ['2-alpine', '1.27-alpine', '1.27.2-alpine'],
        'a floating tag looks among the versions of its variant',
      );
      assert.deepEqual(
        versionCandidates(tags, 'stable-slim')
          .map((v) => v.tag)
          .slice(0, 2),
        ['1', '1.27'],
        'no -slim versions: plain versions',
      );
      assert.deepEqual(
        versionCandidates(tags, 'mainline')
          .map((v) => v.tag)
          .slice(0, 2),
        ['1', '1.27'],
      );
    });
    it('finds the most specific match and stops early', async () => {
      const many = ['latest', ...Array.from({ length: 200 }, (_, i) => `1.${i}.0`), '1.199', '1'];
      const same = new Set(['latest', '1', '1.199', '1.199.0']);
      const checked: string[] = [];
      const best = await findMostSpecific(versionCandidates(many, 'latest'), async (tag) => {
        checked.push(tag);
        return same.has(tag);
      });
      assert.equal(best?.tag, '1.199.0');
      assert.ok(checked.length <= 8, `checked ${checked.length}`);
      assert.equal(
        await findMostSpecific(versionCandidates(many, 'latest'), async () => false, { max: 10 }),
        undefined,
      );
    });
  });

  describe('HTTP helpers', () => {
    it('parses Retry-After as seconds or a date', () => {
      assert.equal(parseRetryAfter('7'), 7000);
      assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6_000);
      assert.equal(parseRetryAfter('soon'), undefined);
      assert.equal(parseRetryAfter(undefined), undefined);
    });
    it('follows only same-origin rel="next" links', () => {
      const here = new URL('https://r.example/v2/a/tags/list');
      assert.equal(nextPage('</v2/a/tags/list?last=x&n=2>; rel="next"', here), '/v2/a/tags/list?last=x&n=2');
      assert.equal(nextPage('<https://r.example/v2/a/tags/list?last=y>; rel=next', here), '/v2/a/tags/list?last=y');
      assert.equal(nextPage('<https://evil.example/v2/a/tags/list?last=y>; rel="next"', here), undefined);
      assert.equal(nextPage('</v2/a/tags/list?last=x>; rel="prev"', here), undefined);
      assert.equal(nextPage(undefined, here), undefined);
    });
    it('allows plain HTTP only for loopback and insecure hosts', () => {
      for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]']) assert.ok(isLoopbackHost(h), h);
      for (const h of ['10.0.0.1', 'example.com', '128.0.0.1', 'localhost.example.com'])
        assert.ok(!isLoopbackHost(h), h);
      assert.ok(plainHttpAllowed('127.0.0.1:5000', []));
      assert.ok(plainHttpAllowed('[::1]:5000', []));
      assert.ok(plainHttpAllowed('reg.lan:5000', ['reg.lan']));
      assert.ok(plainHttpAllowed('reg.lan:5000', ['http://reg.lan:5000/']));
      assert.ok(!plainHttpAllowed('reg.lan:5001', ['reg.lan:5000']));
      assert.ok(!plainHttpAllowed('ghcr.io', ['reg.lan']));
    });
    it('matches NO_PROXY entries and picks proxies from the environment', () => {
      assert.ok(matchesNoProxy('a.corp.example', '443', 'corp.example'));
      assert.ok(matchesNoProxy('corp.example', '443', '.corp.example'));
      assert.ok(matchesNoProxy('x', '443', '*'));
      assert.ok(!matchesNoProxy('ghcr.io', '443', 'corp.example, ghcr.io:8443'));
      assert.ok(matchesNoProxy('ghcr.io', '8443', 'corp.example,ghcr.io:8443'));
      const env = { HTTPS_PROXY: 'proxy.corp:3128', NO_PROXY: 'internal.corp' };
      assert.equal(proxyFor(new URL('https://ghcr.io/v2/'), { env })?.href, 'http://proxy.corp:3128/');
      assert.equal(proxyFor(new URL('https://reg.internal.corp/v2/'), { env }), undefined);
      assert.equal(proxyFor(new URL('https://127.0.0.1:5000/v2/'), { env }), undefined);
      assert.equal(proxyFor(new URL('https://ghcr.io/v2/'), { env: {}, proxy: 'http://p:1' })?.host, 'p:1');
      assert.throws(
        () => proxyFor(new URL('https://ghcr.io/v2/'), { env: {}, proxy: 'socks5://p:1' }),
        /invalid proxy/,
      );
    });
  });

  describe('manifests and credentials', () => {
    it('skips attestation entries and picks platforms', () => {
      const index = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.index.v1+json',
          manifests: [
            { digest: 'sha256:' + '1'.repeat(64), mediaType: 'm', platform: { os: 'linux', architecture: 'amd64' } },
            {
              digest: 'sha256:' + '2'.repeat(64),
              mediaType: 'm',
              platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
            },
            {
              digest: 'sha256:' + '3'.repeat(64),
              mediaType: 'm',
              platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
            },
            {
              digest: 'sha256:' + '4'.repeat(64),
              mediaType: 'm',
              platform: { os: 'unknown', architecture: 'unknown' },
              annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
            },
          ],
        }),
      );
      const summary = parseManifest(index, undefined, 'r');
      assert.deepEqual(
        summary.children.map((c) => c.platform),
        ['linux/amd64', 'linux/arm/v7', 'linux/arm64/v8'],
      );
      const children: PlatformChild[] = summary.children;
      assert.equal(pickPlatform(children, 'linux/arm64')?.digest, 'sha256:' + '3'.repeat(64));
      assert.equal(pickPlatform(children, 'linux/arm/v7')?.digest, 'sha256:' + '2'.repeat(64));
      assert.equal(pickPlatform(children, 'linux/arm/v6'), undefined);
      assert.throws(() => parseManifest(Buffer.from('{"schemaVersion":1}'), undefined, 'r'), /schema1/);
    });
    it('maps Docker config keys to registries', () => {
      assert.equal(configKeyHost('https://index.docker.io/v1/'), 'docker.io');
      assert.equal(configKeyHost('registry-1.docker.io'), 'docker.io');
      assert.equal(configKeyHost('https://ghcr.io/v2/'), 'ghcr.io');
      assert.equal(configKeyHost('localhost:5000'), 'localhost:5000');
      assert.equal(dockerServerKey('docker.io'), 'https://index.docker.io/v1/');
      assert.equal(dockerServerKey('ghcr.io'), 'ghcr.io');
    });
  });
});
