import * as assert from 'node:assert/strict';
import rule from '../../server/src/rules/image-digest-stale';
import { testEngine } from '../helpers/engine';
import { ruleTester } from '../helpers/ruleTester';

const OLD = 'sha256:' + '1'.repeat(64);
const NEW = 'sha256:' + '2'.repeat(64);

describe('image-digest-stale with registry facts', () => {
  const facts = new Map([
    ['nginx:1.27', NEW],
    ['ghcr.io/acme/web:2', OLD],
  ]);
  const run = (text: string, kind: 'dockerfile' | 'compose' = 'dockerfile') =>
    testEngine().lint({
      uri: 'file:///t',
      text,
      kind,
      settings: { severities: { 'image-digest-stale': 'info' }, imagesAllow: [], currentDigests: facts },
    }).problems;

  it('reports on the digest when the tag moved', () => {
    const problems = run(`FROM nginx:1.27@${OLD}\n`);
    assert.deepEqual(
      problems.map((p) => [p.range.start.character, p.range.end.character]),
      [[16, 16 + OLD.length]],
    );
    assert.match(
      problems[0]!.message,
      /“nginx:1\.27” now points to sha256:222222222222…, not the pinned sha256:111111111111…/,
    );
    assert.equal(problems[0]!.hostData?.reference, `nginx:1.27@${OLD}`);
  });
  it('is silent when the digest is current or unknown', () => {
    assert.deepEqual(run(`FROM ghcr.io/acme/web:2@${OLD}\nFROM redis:7@${OLD}\n`), []);
  });
  it('works in Compose', () => {
    assert.equal(run(`services:\n  web:\n    image: "nginx:1.27@${OLD}"\n`, 'compose').length, 1);
  });
});

ruleTester(rule, {
  valid: [
    { name: 'no registry facts: nothing to compare', kind: 'dockerfile', code: `FROM nginx:1.27@${OLD}\n` },
    {
      name: 'digest without tag',
      kind: 'dockerfile',
      code: `FROM nginx@${OLD}\n`,
      currentDigests: { 'nginx:latest': NEW },
    },
    {
      name: 'digest still current',
      kind: 'dockerfile',
      code: `FROM nginx:1.27@${NEW}\n`,
      currentDigests: { 'nginx:1.27': NEW },
    },
  ],
  invalid: [
    {
      name: 'Dockerfile FROM',
      kind: 'dockerfile',
      code: `FROM nginx:1.27@${OLD}\n`,
      currentDigests: { 'nginx:1.27': NEW },
      errors: [
        {
          messageId: 'stale',
          data: { tag: 'nginx:1.27', current: 'sha256:222222222222…', pinned: 'sha256:111111111111…' },
          range: [0, 16, 0, 16 + OLD.length],
        },
      ],
    },
    {
      name: 'Compose, single-quoted, registry with port',
      kind: 'compose',
      code: `services:\n  a:\n    image: 'localhost:5000/app:1@${OLD}'\n`,
      currentDigests: { 'localhost:5000/app:1': NEW },
      errors: [
        {
          messageId: 'stale',
          data: { tag: 'localhost:5000/app:1', current: 'sha256:222222222222…', pinned: 'sha256:111111111111…' },
          range: [2, 33, 2, 33 + OLD.length],
        },
      ],
    },
  ],
});
