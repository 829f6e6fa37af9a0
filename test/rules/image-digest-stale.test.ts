import rule from '../../server/src/rules/image-digest-stale';
import { ruleTester } from '../helpers/ruleTester';

const OLD = 'sha256:' + '1'.repeat(64);
const NEW = 'sha256:' + '2'.repeat(64);

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
      name: 'digest still current, or the tag unknown to the registry facts',
      kind: 'dockerfile',
      code: `FROM nginx:1.27@${NEW}\nFROM ghcr.io/acme/web:2@${OLD}\nFROM redis:7@${OLD}\n`,
      currentDigests: { 'nginx:1.27': NEW, 'ghcr.io/acme/web:2': OLD },
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
          hostData: { reference: `nginx:1.27@${OLD}` },
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
