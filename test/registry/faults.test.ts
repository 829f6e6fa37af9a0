import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { useClients, useSeededRegistry } from '../helpers/registryFixture';
import { freePort } from '../helpers/registryHarness';
import { startFront, startSilentServer, type FrontServer } from '../helpers/registryDoubles';
import { MEDIA_TYPES } from '../../server/src/registry';

type Err = Error & { kind?: string; status?: number; retryAfterMs?: number };

describe('registry client failure handling (test doubles in front of a real registry)', function () {
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

  const manifestRequests = (): string[] =>
    front.requests
      .filter((r) => r.url.includes('/manifests/'))
      .map((r) => `${r.method} ${r.url.replace(/sha256:[0-9a-f]+/, 'sha256:…')}`);

  describe('pagination', () => {
    it('follows Link rel="next" pages of tags/list', async () => {
      const paged = await startFront({ upstream: seeded.registry.url, tagPageSize: 5 });
      try {
        const tags = await t.client().listTags(`${paged.host}/library/nginx`);
        assert.deepEqual(tags, [
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
        const pages = paged.requests.filter((r) => r.url.includes('/tags/list')).map((r) => r.url);
        assert.deepEqual(pages, [
          '/v2/library/nginx/tags/list',
          '/v2/library/nginx/tags/list?last=1.25-alpine&n=5',
          '/v2/library/nginx/tags/list?last=latest&n=5',
        ]);
        // and the paged list feeds version lookup
        assert.equal((await t.client().findVersionForLatest(`${paged.host}/library/nginx:latest`))?.tag, '1.25.3');
      } finally {
        await paged.stop();
      }
    });
  });

  describe('retries', () => {
    it('waits for Retry-After on 429, then succeeds', async () => {
      let sent = 0;
      front.handle = (req, res) => {
        if (req.method === 'HEAD' && sent++ === 0) {
          res.writeHead(429, { 'Retry-After': '1' }).end();
          return true;
        }
        return false;
      };
      const started = Date.now();
      const r = await t.client().resolveDigest(`${front.host}/library/nginx:latest`);
      const elapsed = Date.now() - started;
      assert.equal(r.digest, seeded.plan.nginxMainline.index.digest);
      assert.ok(elapsed >= 950, `waited ${elapsed} ms`);
      assert.deepEqual(manifestRequests(), [
        'HEAD /v2/library/nginx/manifests/latest',
        'HEAD /v2/library/nginx/manifests/latest',
        'GET /v2/library/nginx/manifests/sha256:…',
      ]);
    });

    it('fails at once with rate-limited when Retry-After is beyond the bound', async () => {
      front.handle = (_req, res) => {
        res.writeHead(429, { 'Retry-After': '3600' }).end();
        return true;
      };
      // Waiting the hour would end in the test's timeout: the answer comes at once.
      await assert.rejects(t.client().resolveDigest(`${front.host}/library/nginx:latest`), (e: Err) => {
        assert.equal(e.kind, 'rate-limited');
        assert.equal(e.retryAfterMs, 3_600_000);
        assert.equal(e.message, `429 from ${front.host}: rate limited, retry after 3600 s`);
        return true;
      });
      assert.equal(manifestRequests().length, 1);
    });

    it('retries a 500 with backoff and succeeds', async () => {
      let sent = 0;
      front.handle = (req, res) => {
        if (req.method === 'GET' && req.url?.includes('/manifests/') && sent++ === 0) {
          res.writeHead(500).end('oops');
          return true;
        }
        return false;
      };
      const r = await t.client().resolveDigest(`${front.host}/library/alpine:3`);
      assert.equal(r.digest, seeded.plan.alpine.digest);
      assert.deepEqual(manifestRequests(), [
        'HEAD /v2/library/alpine/manifests/3',
        'GET /v2/library/alpine/manifests/sha256:…',
        'GET /v2/library/alpine/manifests/sha256:…',
      ]);
    });

    it('gives up after a bounded number of 5xx answers', async () => {
      front.handle = (_req, res) => {
        res.writeHead(503).end();
        return true;
      };
      await assert.rejects(t.client({ retries: 2 }).resolveDigest(`${front.host}/library/alpine:3`), (e: Err) => {
        assert.equal(e.kind, 'server');
        assert.equal(e.status, 503);
        assert.match(e.message, /^503 from 127\.0\.0\.1:\d+/);
        return true;
      });
      assert.equal(manifestRequests().length, 3);
    });
  });

  describe('network failures', () => {
    it('times out against a server that never answers', async () => {
      const silent = await startSilentServer();
      try {
        const started = Date.now();
        await assert.rejects(
          t.client({ timeoutMs: 300 }).resolveDigest(`${silent.host}/library/nginx:latest`),
          (e: Err) => {
            assert.equal(e.kind, 'timeout');
            assert.equal(e.message, `registry timeout: no answer from ${silent.host} within 0.3 s`);
            return true;
          },
        );
        // Not before the deadline (timers never fire early); the message names the deadline that fired.
        const elapsed = Date.now() - started;
        assert.ok(elapsed >= 290, `took ${elapsed} ms`);
      } finally {
        await silent.stop();
      }
    });

    it('reports a refused connection as unreachable', async () => {
      const port = await freePort();
      await assert.rejects(t.client().resolveDigest(`127.0.0.1:${port}/library/nginx:latest`), (e: Err) => {
        assert.equal(e.kind, 'unreachable');
        assert.equal(e.message, `registry unreachable: ECONNREFUSED 127.0.0.1:${port}`);
        return true;
      });
    });

    it('refuses to follow a redirect to plain HTTP on a non-loopback host', async () => {
      front.handle = (req, res) => {
        res.writeHead(302, { Location: `http://registry.example.invalid${req.url ?? ''}` }).end();
        return true;
      };
      await assert.rejects(t.client().resolveDigest(`${front.host}/library/nginx:latest`), (e: Err) => {
        assert.equal(e.kind, 'insecure-refused');
        assert.equal(
          e.message,
          'refusing plain HTTP to registry.example.invalid: add it to registry.insecure to allow',
        );
        return true;
      });
    });

    it('stops after 5 redirects', async () => {
      let n = 0;
      front.handle = (req, res) => {
        res.writeHead(302, { Location: `${(req.url ?? '').split('?')[0]}?hop=${++n}` }).end();
        return true;
      };
      await assert.rejects(t.client().resolveDigest(`${front.host}/library/nginx:latest`), /too many redirects/);
      assert.equal(manifestRequests().length, 6);
    });
  });

  describe('malformed answers', () => {
    it('rejects a manifest that is not JSON', async () => {
      const body = Buffer.from('{not json');
      const digest = 'sha256:' + createHash('sha256').update(body).digest('hex');
      front.handle = (req, res) => {
        if (!req.url?.includes('/manifests/')) return false;
        res.writeHead(200, {
          'Content-Type': MEDIA_TYPES.dockerList,
          'Docker-Content-Digest': digest,
          'Content-Length': String(body.length),
        });
        res.end(req.method === 'HEAD' ? undefined : body);
        return true;
      };
      await assert.rejects(t.client().resolveDigest(`${front.host}/library/nginx:latest`), (e: Err) => {
        assert.equal(e.kind, 'malformed');
        assert.equal(e.message, `malformed manifest from ${front.host}: not JSON`);
        return true;
      });
    });

    it('rejects a manifest whose content does not match its digest', async () => {
      front.handle = (req, res) => {
        if (req.method !== 'GET' || !req.url?.includes('/manifests/sha256:')) return false;
        res
          .writeHead(200, { 'Content-Type': MEDIA_TYPES.dockerManifest })
          .end('{"schemaVersion":2,"config":{"digest":"sha256:00"}}');
        return true;
      };
      await assert.rejects(t.client().resolveDigest(`${front.host}/library/alpine:3`), (e: Err) => {
        assert.equal(e.kind, 'malformed');
        assert.match(e.message, /content does not match sha256:/);
        return true;
      });
    });

    it('rejects a tag list that is not JSON', async () => {
      front.handle = (req, res) => {
        if (!req.url?.includes('/tags/list')) return false;
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"tags": [');
        return true;
      };
      await assert.rejects(t.client().listTags(`${front.host}/library/nginx`), { kind: 'malformed' });
    });
  });

  describe('cancellation', () => {
    it('rejects at once with an already aborted signal, sending nothing', async () => {
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(t.client().resolveDigest(`${front.host}/library/nginx:latest`, controller.signal), {
        kind: 'cancelled',
      });
      assert.equal(front.requests.length, 0);
    });

    it('aborts a request in flight', async () => {
      const silent = await startSilentServer();
      try {
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 100);
        // The server never answers: only the abort ends the request before its deadline (kind `timeout`).
        await assert.rejects(t.client().resolveDigest(`${silent.host}/library/nginx:latest`, controller.signal), {
          kind: 'cancelled',
          message: 'request cancelled',
        });
      } finally {
        await silent.stop();
      }
    });

    it('aborts while waiting for Retry-After', async () => {
      // A wait of ten minutes: a client that only noticed the abort once it was over would end in the
      // test's timeout.
      front.handle = (_req, res) => {
        res.writeHead(429, { 'Retry-After': '600' }).end();
        return true;
      };
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 150);
      const client = t.client({ maxRetryAfterMs: 600_000 });
      await assert.rejects(client.resolveDigest(`${front.host}/library/nginx:latest`, controller.signal), {
        kind: 'cancelled',
      });
      assert.equal(manifestRequests().length, 1);
    });
  });

  describe('concurrency', () => {
    it('keeps at most 4 requests in flight per registry', async () => {
      let active = 0;
      let peak = 0;
      front.handle = (req, _res, forward) => {
        if (req.method !== 'HEAD') return false;
        active++;
        peak = Math.max(peak, active);
        setTimeout(() => {
          active--;
          forward();
        }, 60);
        return true;
      };
      const shared = await t.client().tagsSharingDigest(`${front.host}/library/nginx:latest`);
      assert.deepEqual(shared, ['latest', 'mainline', '1', '1.25', '1.25.3']);
      assert.equal(front.requests.filter((r) => r.method === 'HEAD').length, 12);
      assert.equal(peak, 4);
    });
  });
});
