import rule from '../../server/src/rules/image-unpinned-digest';
import { ruleTester } from '../helpers/ruleTester';

const DIGEST = 'sha256:0514d702d8c2a06b33bba4d0c0a8bb04f5b2e7a3c2f1d06a2b1e4a6ffb4cb3d2';

ruleTester(rule, {
  valid: [
    { name: 'tag and digest', kind: 'dockerfile', code: `FROM node:20@${DIGEST}\n` },
    {
      name: 'a named build context is not an image to pin',
      kind: 'dockerfile',
      code: 'FROM base\nCOPY --from=assets /dist /srv\n',
      namedContexts: ['base', 'assets'],
    },
    {
      name: 'ignoring latest does not surface the weaker finding',
      kind: 'dockerfile',
      code: '# driftguard-ignore image-latest-tag\nFROM nginx:latest\n',
      alsoEnable: ['image-latest-tag'],
    },
    { name: 'untagged reports image-untagged instead', kind: 'dockerfile', code: 'FROM nginx\n' },
    { name: 'compose digest', kind: 'compose', code: `services:\n  db:\n    image: postgres:16@${DIGEST}\n` },
    {
      name: 'allow-listed registry',
      kind: 'compose',
      code: 'services:\n  db:\n    image: registry.internal/db:16\n',
      imagesAllow: ['registry.internal/*'],
    },
  ],
  invalid: [
    {
      name: 'Compose additional_contexts: the image of a docker-image:// value, with a variable from .env',
      kind: 'compose',
      code: 'services:\n  app:\n    build:\n      additional_contexts:\n        base: docker-image://node:${NODE}\n',
      dotenv: 'NODE=20\n',
      errors: [
        {
          messageId: 'unpinned',
          data: { ref: '“node:${NODE}” (resolves to “node:20”)', name: 'node', tag: '20' },
          range: [4, 29, 4, 41],
        },
      ],
    },
    {
      name: 'FROM',
      kind: 'dockerfile',
      code: 'FROM node:20\n',
      errors: [{ messageId: 'unpinned', data: { ref: '“node:20”', name: 'node', tag: '20' }, range: [0, 10, 0, 12] }],
    },
    {
      name: 'syntax directive with tag',
      kind: 'dockerfile',
      code: '# syntax=docker/dockerfile:1.7\nFROM node:20\n',
      errors: [
        {
          messageId: 'unpinned',
          data: { ref: '“docker/dockerfile:1.7”', name: 'docker/dockerfile', tag: '1.7' },
          range: [0, 27, 0, 30],
        },
        { messageId: 'unpinned', data: { ref: '“node:20”', name: 'node', tag: '20' }, range: [1, 10, 1, 12] },
      ],
    },
    {
      name: 'registry with port and tag',
      kind: 'dockerfile',
      code: 'FROM localhost:5000/app:1.0\n',
      errors: [
        {
          messageId: 'unpinned',
          data: { ref: '“localhost:5000/app:1.0”', name: 'localhost:5000/app', tag: '1.0' },
          range: [0, 24, 0, 27],
        },
      ],
    },
    {
      name: 'ARG in ${} form',
      kind: 'dockerfile',
      code: 'ARG BASE=node:20\nFROM ${BASE} AS build\n',
      errors: [
        {
          messageId: 'unpinned',
          data: { ref: '“${BASE}” (resolves to “node:20”)', name: 'node', tag: '20' },
          range: [1, 5, 1, 12],
        },
      ],
    },
    {
      name: 'ONBUILD RUN --mount from',
      kind: 'dockerfile',
      code: 'FROM alpine:3\nONBUILD RUN --mount=from=golang:1.22,target=/go true\n',
      errors: [
        { messageId: 'unpinned', data: { ref: '“alpine:3”', name: 'alpine', tag: '3' }, range: [0, 12, 0, 13] },
        { messageId: 'unpinned', data: { ref: '“golang:1.22”', name: 'golang', tag: '1.22' }, range: [1, 32, 1, 36] },
      ],
    },
    {
      name: 'compose double-quoted',
      kind: 'compose',
      code: 'services:\n  web:\n    image: "nginx:1.27"\n',
      errors: [
        { messageId: 'unpinned', data: { ref: '“nginx:1.27”', name: 'nginx', tag: '1.27' }, range: [2, 18, 2, 22] },
      ],
    },
    {
      name: 'compose with registry',
      kind: 'compose',
      code: 'services:\n  web:\n    image: ghcr.io/acme/web:2.1.0\n',
      errors: [
        {
          messageId: 'unpinned',
          data: { ref: '“ghcr.io/acme/web:2.1.0”', name: 'ghcr.io/acme/web', tag: '2.1.0' },
          range: [2, 28, 2, 33],
        },
      ],
    },
  ],
});
