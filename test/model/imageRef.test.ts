import * as assert from 'node:assert/strict';
import { matchesImagePattern, parseImageReference } from '../../server/src/model/imageRef';

describe('parseImageReference', () => {
  const cases: Array<[string, Record<string, string | undefined> | undefined]> = [
    ['nginx', { registry: undefined, repository: 'nginx', tag: undefined }],
    ['nginx:1.25', { repository: 'nginx', tag: '1.25' }],
    ['localhost:5000/app', { registry: 'localhost:5000', repository: 'app', tag: undefined }],
    ['localhost:5000/app:1.0', { registry: 'localhost:5000', repository: 'app', tag: '1.0' }],
    ['ghcr.io/acme/web:2', { registry: 'ghcr.io', repository: 'acme/web', tag: '2' }],
    ['acme/web', { registry: undefined, repository: 'acme/web' }],
    ['localhost/app', { registry: 'localhost', repository: 'app' }],
    ['nginx:latest@sha256:' + 'a'.repeat(64), { tag: 'latest', digest: 'sha256:' + 'a'.repeat(64) }],
    ['Nginx', undefined],
    ['nginx:', undefined],
    ['nginx@sha256:xyz', undefined],
    ['', undefined],
    ['two words', undefined],
  ];
  for (const [text, expected] of cases) {
    it(JSON.stringify(text), () => {
      const parsed = parseImageReference(text);
      if (!expected) return assert.equal(parsed, undefined);
      assert.ok(parsed);
      for (const [k, v] of Object.entries(expected))
        assert.equal((parsed as unknown as Record<string, unknown>)[k], v, k);
    });
  }
  it('matches allow patterns with and without digest', () => {
    assert.ok(matchesImagePattern('localhost:5000/app:1', 'localhost:5000/*'));
    assert.ok(matchesImagePattern('nginx:1@sha256:' + 'a'.repeat(64), 'nginx:1'));
    assert.ok(!matchesImagePattern('docker.io/nginx', 'localhost:5000/*'));
    assert.ok(!matchesImagePattern('nginxx', 'nginx'));
  });
});
