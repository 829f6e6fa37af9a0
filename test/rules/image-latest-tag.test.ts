import rule from '../../server/src/rules/image-latest-tag';
import { ruleTester } from '../helpers/ruleTester';

const DIGEST = 'sha256:0514d702d8c2a06b33bba4d0c0a8bb04f5b2e7a3c2f1d06a2b1e4a6ffb4cb3d2';

ruleTester(rule, {
  valid: [
    { name: 'latest with digest counts as pinned', kind: 'dockerfile', code: `FROM nginx:latest@${DIGEST}\n` },
    { name: 'untagged is the stronger finding, not this one', kind: 'dockerfile', code: 'FROM nginx\n' },
    { name: 'version tag', kind: 'dockerfile', code: 'FROM nginx:1.27\n' },
    { name: 'hadolint DL3007', kind: 'dockerfile', code: '# hadolint ignore=DL3007\nFROM nginx:latest\n' },
    {
      name: 'ignore spans every continuation line of the instruction',
      kind: 'dockerfile',
      code: '# driftguard-ignore image-latest-tag\nFROM \\\n  nginx:latest\n',
    },
    { name: 'compose build output', kind: 'compose', code: 'services:\n  app:\n    build: .\n    image: app:latest\n' },
  ],
  invalid: [
    {
      name: 'FROM',
      kind: 'dockerfile',
      code: 'FROM nginx:latest\n',
      errors: [{ messageId: 'latest', data: { ref: '“nginx:latest”', name: 'nginx' }, range: [0, 11, 0, 17] }],
    },
    {
      name: 'COPY --from',
      kind: 'dockerfile',
      code: 'FROM alpine:3\nCOPY --from=busybox:latest /bin/sh /bin/sh\n',
      errors: [{ messageId: 'latest', data: { ref: '“busybox:latest”', name: 'busybox' }, range: [1, 20, 1, 26] }],
    },
    {
      name: 'through an ARG used in the tag',
      kind: 'dockerfile',
      code: 'ARG V=latest\nFROM node:$V\n',
      errors: [
        {
          messageId: 'latest',
          data: { ref: '“node:$V” (resolves to “node:latest”)', name: 'node' },
          range: [1, 5, 1, 12],
        },
      ],
    },
    {
      name: 'registry host with port',
      kind: 'dockerfile',
      code: 'FROM localhost:5000/app:latest\n',
      errors: [
        {
          messageId: 'latest',
          data: { ref: '“localhost:5000/app:latest”', name: 'localhost:5000/app' },
          range: [0, 24, 0, 30],
        },
      ],
    },
    {
      name: 'compose',
      kind: 'compose',
      code: 'services:\n  cache:\n    image: redis:latest\n',
      errors: [{ messageId: 'latest', data: { ref: '“redis:latest”', name: 'redis' }, range: [2, 17, 2, 23] }],
    },
    {
      name: 'compose single-quoted',
      kind: 'compose',
      code: "services:\n  cache:\n    image: 'redis:latest'\n",
      errors: [{ messageId: 'latest', data: { ref: '“redis:latest”', name: 'redis' }, range: [2, 18, 2, 24] }],
    },
  ],
});
