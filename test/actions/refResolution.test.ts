import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { GitRefsClient } from '../../server/src/git/smartHttp';
import type { RefListing } from '../../server/src/git/refs';
import { mostSpecificVersion, resolveRef, type ResolvedRef } from '../../server/src/actions/refResolution';
import { startGitServer } from '../helpers/gitServer';
import { makeActionRepo, type RepoRefs } from '../helpers/actionRepos';

describe('action ref resolution (what GitHub runs for a ref)', function () {
  this.timeout(30_000);
  let listing: RefListing;
  let refs: RepoRefs;

  before(async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'driftguard-git-'));
    refs = makeActionRepo(root, 'acme/checkout');
    const server = await startGitServer(root);
    const client = new GitRefsClient({ serverUrl: server.url, http: { env: {} } });
    try {
      listing = await client.listRefs('acme/checkout');
    } finally {
      client.close();
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });

  const resolved = (ref: string): ResolvedRef => {
    const result = resolveRef(listing, ref);
    assert.ok(!('reason' in result), `${ref}: ${'reason' in result ? result.reason : ''}`);
    return result;
  };

  const cases: Array<{ ref: string; at: string; kind: ResolvedRef['kind']; comment: string; ambiguous?: boolean }> = [
    // A moving major tag, annotated: peeled, and the most specific release on its commit.
    { ref: 'v2', at: 'v2.0.0', kind: 'tag', comment: 'v2.0.0' },
    { ref: 'v2.0', at: 'v2.0.0', kind: 'tag', comment: 'v2.0.0' },
    // A lightweight major tag whose commit carries an annotated release.
    { ref: 'v1.1.0', at: 'v1.1.0', kind: 'tag', comment: 'v1.1.0' },
    { ref: 'v1.0.0', at: 'v1.0.0', kind: 'tag', comment: 'v1.0.0' },
    // Written without `v`: the comment keeps that style.
    { ref: '2.0.0', at: 'v2.0.0', kind: 'tag', comment: '2.0.0' },
    // A tag of a tag, peeled through both.
    { ref: 'stable', at: 'v2.0.0', kind: 'tag', comment: 'v2.0.0' },
    // Branches: the commit they are at now, with a version tag when one is on it.
    { ref: 'main', at: 'main', kind: 'branch', comment: 'main' },
    { ref: 'release/v2', at: 'v2.0.0', kind: 'branch', comment: 'v2.0.0' },
    // Named like a version, really a branch.
    { ref: 'v3', at: 'main', kind: 'branch', comment: 'v3' },
    // Both a branch and a tag: GitHub runs the branch.
    { ref: 'v1', at: 'v1-maintenance', kind: 'branch', comment: 'v1', ambiguous: true },
  ];
  for (const c of cases)
    it(`@${c.ref} runs ${c.at} (${c.kind}) and is commented # ${c.comment}`, () => {
      const r = resolved(c.ref);
      assert.equal(r.commit, refs.commit(c.at));
      assert.equal(r.kind, c.kind);
      assert.equal(r.comment, c.comment);
      assert.equal(!!r.ambiguous, !!c.ambiguous);
    });

  it('reports both commits of an ambiguous name', () => {
    assert.deepEqual(resolved('v1').ambiguous, {
      branchCommit: refs.commit('v1-maintenance'),
      tagCommit: refs.oid['refs/tags/v1'],
    });
  });

  it('lists every tag on the commit, most specific version first', () => {
    assert.deepEqual(resolved('v2').tags, ['v2.0.0', '2.0.0', 'v2.0.0-rc.1', 'v2.0', 'v2', 'stable']);
  });

  it('takes a full SHA as the commit and finds its tags', () => {
    const r = resolved(refs.commit('v1.0.0'));
    assert.equal(r.kind, 'commit');
    assert.deepEqual(r.tags, ['v1.0.0']);
    assert.equal(r.comment, 'v1.0.0');
  });

  it('resolves a short SHA only when exactly one listed commit starts with it', () => {
    const full = refs.commit('v2.0.0');
    assert.equal(resolved(full.slice(0, 9)).commit, full);
    const missing = resolveRef(listing, '0000000');
    assert.ok('reason' in missing && /GitHub runs only full commit SHAs/.test(missing.reason));
  });

  it('says when no branch or tag has the name', () => {
    assert.deepEqual(resolveRef(listing, 'nope'), { reason: 'no branch or tag named “nope”' });
  });

  it('ranks version tags by precision, then releases over pre-releases, then the higher version', () => {
    assert.equal(mostSpecificVersion(['v4', 'v4.1', 'v4.1.7']), 'v4.1.7');
    assert.equal(mostSpecificVersion(['v4.1.7-beta', 'v4.1.7']), 'v4.1.7');
    assert.equal(mostSpecificVersion(['v4.1.6', 'v4.1.7']), 'v4.1.7');
    assert.equal(mostSpecificVersion(['4.1.7', 'v4.1.7'], '4'), '4.1.7');
    assert.equal(mostSpecificVersion(['4.1.7', 'v4.1.7'], 'main'), 'v4.1.7');
    assert.equal(mostSpecificVersion(['latest', 'stable']), undefined);
  });
});
