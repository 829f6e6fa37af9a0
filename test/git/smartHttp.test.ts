import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { GitRefsClient, checkServerUrl } from '../../server/src/git/smartHttp';
import { NetworkError } from '../../server/src/net/errors';
import { startGitServer, type RunningGitServer } from '../helpers/gitServer';
import { makeActionRepo, type RepoRefs } from '../helpers/actionRepos';

function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

async function rejectsWith(promise: Promise<unknown>, kind: string, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof NetworkError, String(error));
    assert.equal(error.kind, kind);
    assert.match(error.message, message);
    return true;
  });
}

describe('git smart-HTTP ref listing (real git http-backend)', function () {
  this.timeout(30_000);
  let root: string;
  let server: RunningGitServer;
  let refs: RepoRefs;
  const clients: GitRefsClient[] = [];
  const client = (options: Partial<ConstructorParameters<typeof GitRefsClient>[0]> = {}) => {
    const c = new GitRefsClient({ serverUrl: server.url, http: { env: {}, retryBaseMs: 10 }, ...options });
    clients.push(c);
    return c;
  };

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'driftguard-git-'));
    refs = makeActionRepo(root, 'acme/checkout');
    makeActionRepo(root, 'acme/private');
    server = await startGitServer(root, { privateRepos: { 'acme/private': 's3cret' } });
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
    server.requests.length = 0;
  });
  after(async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('lists branches and tags with protocol v2 ls-refs, annotated tags and tags of tags peeled', async () => {
    const listing = await client().listRefs('acme/checkout');
    const byName = new Map(listing.refs.map((r) => [r.name, r]));
    assert.equal(listing.head, 'refs/heads/main');
    assert.deepEqual([...byName.keys()].sort(), Object.keys(refs.oid).sort());
    for (const [name, oid] of Object.entries(refs.oid)) assert.equal(byName.get(name)?.oid, oid, name);
    assert.equal(byName.get('refs/tags/v1.1.0')?.peeled, refs.commit('v1.1.0'));
    assert.equal(byName.get('refs/tags/v1.0.0')?.peeled, undefined);
    // `stable` is an annotated tag of the annotated tag v2.0.0: peeled through both to the commit.
    assert.equal(byName.get('refs/tags/stable')?.peeled, refs.commit('v2.0.0'));
    assert.notEqual(byName.get('refs/tags/stable')?.oid, refs.oid['refs/tags/v2.0.0']);
    assert.deepEqual(
      server.requests.map((r) => [r.method, r.path, r.gitProtocol]),
      [
        ['GET', '/acme/checkout.git/info/refs?service=git-upload-pack', 'version=2'],
        ['POST', '/acme/checkout.git/git-upload-pack', 'version=2'],
      ],
    );
  });

  it('reads a protocol v0 advertisement from a server that does not speak v2', async () => {
    const v0 = await startGitServer(root, { v0Only: true });
    try {
      const listing = await client({ serverUrl: v0.url }).listRefs('acme/checkout');
      const byName = new Map(listing.refs.map((r) => [r.name, r]));
      assert.equal(listing.head, 'refs/heads/main');
      assert.equal(byName.get('refs/tags/v2')?.peeled, refs.commit('v2'));
      assert.equal(byName.get('refs/tags/stable')?.peeled, refs.commit('v2.0.0'));
      assert.equal(byName.get('refs/heads/v1')?.oid, refs.oid['refs/heads/v1']);
      assert.equal(v0.requests.length, 1, 'one request: the advertisement holds the refs');
    } finally {
      await v0.stop();
    }
  });

  it('sends no token to a public repository, and the token only after a 401 from the configured server', async () => {
    await client({ token: 's3cret' }).listRefs('acme/checkout');
    assert.ok(server.requests.every((r) => r.authorization === undefined));
    server.requests.length = 0;
    const listing = await client({ token: 's3cret' }).listRefs('acme/private');
    assert.ok(listing.refs.length > 0);
    const expected = `Basic ${Buffer.from('x-access-token:s3cret').toString('base64')}`;
    assert.deepEqual(
      server.requests.map((r) => [r.method, r.authorization]),
      [
        ['GET', undefined],
        ['GET', expected],
        ['POST', expected],
      ],
    );
  });

  it('says how to reach a private repository without a token, and when the token is refused', async () => {
    await rejectsWith(
      client().listRefs('acme/private'),
      'unauthorized',
      /acme\/private not found or not accessible \(if it is private, set GITHUB_TOKEN or GH_TOKEN\)/,
    );
    await rejectsWith(client({ token: 'wrong' }).listRefs('acme/private'), 'unauthorized', /has no access/);
  });

  it('never sends the token to another host a redirect names', async () => {
    let seen: string | undefined = 'none';
    const other = await listen((req, res) => {
      seen = req.headers.authorization;
      res.writeHead(401).end();
    });
    const redirector = await listen((req, res) => {
      res.writeHead(302, { Location: `${other.url.replace('127.0.0.1', 'localhost')}${req.url}` }).end();
    });
    try {
      await rejectsWith(
        client({ serverUrl: redirector.url, token: 's3cret' }).listRefs('acme/checkout'),
        'unauthorized',
        /not found or not accessible \(the token is not sent there\)/,
      );
      assert.equal(seen, undefined);
    } finally {
      redirector.server.close();
      other.server.close();
    }
  });

  it('follows a same-server redirect of the discovery and lists where it ended', async () => {
    const front = await listen((req, res) => {
      res
        .writeHead(301, { Location: `${server.url}${req.url!.replace('/acme/old-name.git/', '/acme/checkout.git/')}` })
        .end();
    });
    try {
      const listing = await client({ serverUrl: front.url }).listRefs('acme/old-name');
      assert.ok(listing.refs.some((r) => r.name === 'refs/tags/v2'));
      assert.deepEqual(
        server.requests.map((r) => r.path),
        ['/acme/checkout.git/info/refs?service=git-upload-pack', '/acme/checkout.git/git-upload-pack'],
      );
    } finally {
      front.server.close();
    }
  });

  it('fails with a clear message for a missing repository, a web page, and names that are not owner/repo', async () => {
    await rejectsWith(client().listRefs('acme/missing'), 'not-found', /acme\/missing not found/);
    const web = await listen((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>'));
    try {
      await rejectsWith(
        client({ serverUrl: web.url }).listRefs('acme/checkout'),
        'malformed',
        /answered text\/html, not git's smart protocol/,
      );
    } finally {
      web.server.close();
    }
    for (const name of ['acme', 'acme/../etc', '../x', 'a/b/c', 'a b/c'])
      await rejectsWith(client().listRefs(name), 'malformed', /is not an owner\/repository name/);
    assert.equal(server.requests.length, 1);
  });

  it('refuses plain HTTP to a host that is not loopback, URLs with credentials, and non-URLs', () => {
    assert.throws(() => checkServerUrl('http://github.example.com'), /must be reached over HTTPS/);
    assert.throws(() => checkServerUrl('https://user:pw@github.example.com'), /must not carry credentials/);
    assert.throws(() => checkServerUrl('ftp://github.example.com'), /HTTPS/);
    assert.throws(() => checkServerUrl('github.com'), /is not a URL/);
    assert.equal(checkServerUrl('https://ghe.example.com/prefix').href, 'https://ghe.example.com/prefix');
    assert.equal(checkServerUrl('http://[::1]:8080').host, '[::1]:8080');
  });

  it('ends a lookup at its overall deadline even when the server trickles bytes', async () => {
    const slow = await listen((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/x-git-upload-pack-advertisement' });
      const timer = setInterval(() => res.write('0'), 50);
      res.on('close', () => clearInterval(timer));
    });
    try {
      await rejectsWith(
        client({ serverUrl: slow.url, deadlineMs: 300, timeoutMs: 5_000 }).listRefs('acme/checkout'),
        'timeout',
        /git server 127\.0\.0\.1:\d+: listing acme\/checkout took longer than 0\.3 s/,
      );
    } finally {
      slow.server.closeAllConnections();
      slow.server.close();
    }
  });

  it('caps the answer size and the number of refs', async () => {
    await rejectsWith(client({ maxRefs: 5 }).listRefs('acme/checkout'), 'malformed', /more than 5 refs listed/);
    await rejectsWith(client({ maxBytes: 200 }).listRefs('acme/checkout'), 'malformed', /larger than 200 bytes/);
  });

  it('rejects malformed pkt-lines and v2 servers without ls-refs', async () => {
    const bad = await listen((_req, res) =>
      res.writeHead(200, { 'Content-Type': 'application/x-git-upload-pack-advertisement' }).end('zzzz'),
    );
    const noLsRefs = await listen((_req, res) =>
      res.writeHead(200, { 'Content-Type': 'application/x-git-upload-pack-advertisement' }).end('000eversion 2\n0000'),
    );
    try {
      await rejectsWith(client({ serverUrl: bad.url }).listRefs('acme/checkout'), 'malformed', /bad pkt-line length/);
      await rejectsWith(
        client({ serverUrl: noLsRefs.url }).listRefs('acme/checkout'),
        'malformed',
        /offers no ls-refs/,
      );
    } finally {
      bad.server.close();
      noLsRefs.server.close();
    }
  });
});
