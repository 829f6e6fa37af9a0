import rule from '../../server/src/rules/image-latest-tag';
import { ruleTester } from '../helpers/ruleTester';

const DIGEST = 'sha256:0514d702d8c2a06b33bba4d0c0a8bb04f5b2e7a3c2f1d06a2b1e4a6ffb4cb3d2';

/** Message data of a floating tag on `name:tag` written as is. */
const floating = (name: string, tag: string) => ({ ref: `“${name}:${tag}”`, name, tag });

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
    {
      name: 'versions and codenames with a variant are version tags (image-unpinned-digest)',
      kind: 'dockerfile',
      code: 'FROM node:20-alpine\nFROM debian:bookworm-slim\nFROM alpine:3.20\nFROM python:3.12-slim\nFROM x:stable2\n',
    },
    { name: 'a floating tag with a digest is pinned', kind: 'dockerfile', code: `FROM node:lts-alpine@${DIGEST}\n` },
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
      name: 'floating tags: channel and variant words only',
      kind: 'dockerfile',
      code: 'FROM node:lts-alpine\nFROM debian:stable-slim\nFROM alpine:edge\nFROM nginx:alpine\nFROM python:slim\n',
      errors: [
        { messageId: 'floating', data: floating('node', 'lts-alpine'), range: [0, 10, 0, 20] },
        { messageId: 'floating', data: floating('debian', 'stable-slim'), range: [1, 12, 1, 23] },
        { messageId: 'floating', data: floating('alpine', 'edge'), range: [2, 12, 2, 16] },
        { messageId: 'floating', data: floating('nginx', 'alpine'), range: [3, 11, 3, 17] },
        { messageId: 'floating', data: floating('python', 'slim'), range: [4, 12, 4, 16] },
      ],
    },
    {
      name: 'floating tags in docker run and docker pull',
      kind: 'shell',
      code: 'docker run --rm nginx:stable true\ndocker pull ghcr.io/o/app:nightly\n',
      errors: [
        { messageId: 'floating', data: floating('nginx', 'stable'), range: [0, 22, 0, 28] },
        { messageId: 'floating', data: floating('ghcr.io/o/app', 'nightly'), range: [1, 26, 1, 33] },
      ],
    },
    {
      name: 'compose single-quoted',
      kind: 'compose',
      code: "services:\n  cache:\n    image: 'redis:latest'\n",
      errors: [{ messageId: 'latest', data: { ref: '“redis:latest”', name: 'redis' }, range: [2, 18, 2, 24] }],
    },
  ],
});
