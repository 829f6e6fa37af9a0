import rule from '../../server/src/rules/image-untagged';
import { ruleTester } from '../helpers/ruleTester';

const ANCHORED = `x-common: &common
  image: redis
services:
  a:
    <<: *common
  b:
    <<: *common
`;

ruleTester(rule, {
  valid: [
    { name: 'tagged', kind: 'dockerfile', code: 'FROM nginx:1.25\n' },
    { name: 'scratch', kind: 'dockerfile', code: 'FROM scratch\n' },
    { name: 'scratch in any case', kind: 'dockerfile', code: 'FROM SCRATCH\n' },
    {
      name: 'earlier stage, case-insensitive',
      kind: 'dockerfile',
      code: 'FROM golang:1.22 AS Builder\nFROM builder\nCOPY --from=BUILDER /a /b\n',
    },
    { name: 'stage by index', kind: 'dockerfile', code: 'FROM golang:1.22\nFROM alpine:3.19\nCOPY --from=0 /a /b\n' },
    {
      name: 'named build contexts (Compose additional_contexts, bake contexts) are not images, in any case',
      kind: 'dockerfile',
      code: 'FROM Base\nCOPY --from=templates nginx.conf /etc/nginx/\nRUN --mount=from=src,target=/src make\n',
      namedContexts: ['base', 'templates', 'src'],
    },
    {
      name: 'digest pinned',
      kind: 'dockerfile',
      code: 'FROM nginx@sha256:0514d702d8c2a06b33bba4d0c0a8bb04f5b2e7a3c2f1d06a2b1e4a6ffb4cb3d2\n',
    },
    { name: 'ARG without default is unresolvable', kind: 'dockerfile', code: 'ARG BASE\nFROM $BASE\n' },
    { name: 'undeclared variable alone', kind: 'dockerfile', code: 'FROM $NOPE\n' },
    { name: '${X-default} with X set to empty keeps empty', kind: 'dockerfile', code: 'ARG X=\nFROM ${X-alpine}\n' },
    { name: '${X:+alt} with X unset is empty', kind: 'dockerfile', code: 'FROM ${X:+alpine}\n' },
    { name: 'images.allow', kind: 'dockerfile', code: 'FROM localhost:5000/app\n', imagesAllow: ['localhost:5000/*'] },
    {
      name: 'driftguard-ignore before the instruction',
      kind: 'dockerfile',
      code: '# driftguard-ignore image-untagged -- base is rebuilt nightly\nFROM nginx\n',
    },
    {
      name: 'driftguard-ignore-file',
      kind: 'dockerfile',
      code: '# driftguard-ignore-file image-untagged\nFROM nginx\nFROM alpine\n',
    },
    { name: 'hadolint ignore=DL3006', kind: 'dockerfile', code: '# hadolint ignore=DL3006\nFROM nginx\n' },
    {
      name: 'hadolint global ignore',
      kind: 'dockerfile',
      code: '# hadolint global ignore=DL3007,DL3006\nFROM alpine:3\nFROM nginx\n',
    },
    {
      name: 'compose build + image names the output',
      kind: 'compose',
      code: 'services:\n  app:\n    build: .\n    image: example/app\n',
    },
    { name: 'compose variable not in .env', kind: 'compose', code: 'services:\n  app:\n    image: ${IMAGE}\n' },
    { name: 'compose $$ escape is literal', kind: 'compose', code: 'services:\n  app:\n    image: $${IMAGE}\n' },
    {
      name: 'compose ignore comment before the key',
      kind: 'compose',
      code: 'services:\n  app:\n    # driftguard-ignore image-untagged\n    image: nginx\n',
    },
    {
      name: 'compose ignore comment before the service covers it',
      kind: 'compose',
      code: 'services:\n  # driftguard-ignore image-untagged\n  app:\n    image: nginx\n  other:\n    image: redis:7\n',
    },
    { name: 'not a services image', kind: 'compose', code: 'x-image: nginx\nservices: {}\n' },
  ],
  invalid: [
    {
      name: 'Compose additional_contexts: a docker-image:// value is an image (map, quoted, and list entries)',
      kind: 'compose',
      code:
        'services:\n  app:\n    build:\n      context: .\n      additional_contexts:\n' +
        '        base: docker-image://alpine\n        tools: "docker-image://busybox"\n        conf: ./conf\n' +
        '        img: target:base\n  web:\n    build:\n      additional_contexts:\n' +
        '        - base=docker-image://nginx\n        - other=oci-layout://./layout\n',
      errors: [
        { messageId: 'untagged', data: { ref: '“alpine”', name: 'alpine' }, range: [5, 29, 5, 35] },
        { messageId: 'untagged', data: { ref: '“busybox”', name: 'busybox' }, range: [6, 31, 6, 38] },
        { messageId: 'untagged', data: { ref: '“nginx”', name: 'nginx' }, range: [12, 30, 12, 35] },
      ],
    },
    {
      name: 'a name no build gives as a context is still an image',
      kind: 'dockerfile',
      code: 'FROM base\nCOPY --from=tools /a /b\n',
      namedContexts: ['templates'],
      errors: [
        { messageId: 'untagged', data: { ref: '“base”', name: 'base' }, range: [0, 5, 0, 9] },
        { messageId: 'untagged', data: { ref: '“tools”', name: 'tools' }, range: [1, 12, 1, 17] },
      ],
    },
    {
      name: 'FROM',
      kind: 'dockerfile',
      code: 'FROM nginx\n',
      errors: [{ messageId: 'untagged', data: { ref: '“nginx”', name: 'nginx' }, range: [0, 5, 0, 10] }],
    },
    {
      name: 'FROM with platform and stage name',
      kind: 'dockerfile',
      code: 'FROM --platform=linux/amd64 nginx AS web\n',
      errors: [{ messageId: 'untagged', data: { ref: '“nginx”', name: 'nginx' }, range: [0, 28, 0, 33] }],
    },
    {
      name: 'registry with port is not a tag',
      kind: 'dockerfile',
      code: 'FROM localhost:5000/app\n',
      errors: [
        {
          messageId: 'untagged',
          data: { ref: '“localhost:5000/app”', name: 'localhost:5000/app' },
          range: [0, 5, 0, 23],
        },
      ],
    },
    {
      name: 'ARG default, reported on the written token',
      kind: 'dockerfile',
      code: 'ARG BASE=nginx\nFROM $BASE\n',
      errors: [
        { messageId: 'untagged', data: { ref: '“$BASE” (resolves to “nginx”)', name: 'nginx' }, range: [1, 5, 1, 10] },
      ],
    },
    {
      name: '${X:-default} of an undeclared variable',
      kind: 'dockerfile',
      code: 'FROM ${IMG:-alpine}\n',
      errors: [
        {
          messageId: 'untagged',
          data: { ref: '“${IMG:-alpine}” (resolves to “alpine”)', name: 'alpine' },
          range: [0, 5, 0, 19],
        },
      ],
    },
    {
      name: '${X:-default} with X empty',
      kind: 'dockerfile',
      code: 'ARG X=\nFROM ${X:-alpine}\n',
      errors: [
        {
          messageId: 'untagged',
          data: { ref: '“${X:-alpine}” (resolves to “alpine”)', name: 'alpine' },
          range: [1, 5, 1, 17],
        },
      ],
    },
    {
      name: '${X:+alt} with X set',
      kind: 'dockerfile',
      code: 'ARG X=1\nFROM ${X:+alpine}\n',
      errors: [
        {
          messageId: 'untagged',
          data: { ref: '“${X:+alpine}” (resolves to “alpine”)', name: 'alpine' },
          range: [1, 5, 1, 17],
        },
      ],
    },
    {
      name: 'ONBUILD COPY --from',
      kind: 'dockerfile',
      code: 'FROM alpine:3\nONBUILD COPY --from=alpine /a /b\n',
      errors: [{ messageId: 'untagged', data: { ref: '“alpine”', name: 'alpine' }, range: [1, 20, 1, 26] }],
    },
    {
      name: 'RUN --mount from=',
      kind: 'dockerfile',
      code: 'FROM alpine:3\nRUN --mount=type=bind,from=busybox,target=/b true\n',
      errors: [{ messageId: 'untagged', data: { ref: '“busybox”', name: 'busybox' }, range: [1, 27, 1, 34] }],
    },
    {
      name: 'COPY --from image (not a stage)',
      kind: 'dockerfile',
      code: 'FROM alpine:3\nCOPY --from=nginx /etc/nginx /etc/nginx\n',
      errors: [{ messageId: 'untagged', data: { ref: '“nginx”', name: 'nginx' }, range: [1, 12, 1, 17] }],
    },
    {
      name: '# syntax directive',
      kind: 'dockerfile',
      code: '# syntax=docker/dockerfile\nFROM alpine:3\n',
      errors: [
        {
          messageId: 'untagged',
          data: { ref: '“docker/dockerfile”', name: 'docker/dockerfile' },
          range: [0, 9, 0, 26],
        },
      ],
    },
    {
      name: '# escape directive respected',
      kind: 'dockerfile',
      code: '# escape=`\nFROM nginx\n',
      errors: [{ messageId: 'untagged', data: { ref: '“nginx”', name: 'nginx' }, range: [1, 5, 1, 10] }],
    },
    {
      name: 'stage names are only earlier stages',
      kind: 'dockerfile',
      code: 'FROM web\nFROM alpine:3 AS web\n',
      errors: [{ messageId: 'untagged', data: { ref: '“web”', name: 'web' }, range: [0, 5, 0, 8] }],
    },
    {
      name: 'ignore for another rule does not hide it',
      kind: 'dockerfile',
      code: '# driftguard-ignore image-latest-tag\nFROM nginx\n',
      errors: [{ messageId: 'untagged', data: { ref: '“nginx”', name: 'nginx' }, range: [1, 5, 1, 10] }],
    },
    {
      name: 'ignore covers only the next instruction',
      kind: 'dockerfile',
      code: '# driftguard-ignore image-untagged\nFROM nginx\nFROM redis\n',
      errors: [{ messageId: 'untagged', data: { ref: '“redis”', name: 'redis' }, range: [2, 5, 2, 10] }],
    },
    {
      name: 'CRLF line endings',
      kind: 'dockerfile',
      code: 'FROM alpine:3\r\nFROM nginx\r\n',
      errors: [{ messageId: 'untagged', data: { ref: '“nginx”', name: 'nginx' }, range: [1, 5, 1, 10] }],
    },
    {
      name: 'compose plain',
      kind: 'compose',
      code: 'services:\n  web:\n    image: nginx\n',
      errors: [{ messageId: 'untagged', data: { ref: '“nginx”', name: 'nginx' }, range: [2, 11, 2, 16] }],
    },
    {
      name: 'compose double-quoted',
      kind: 'compose',
      code: 'services:\n  web:\n    image: "nginx"\n',
      errors: [{ messageId: 'untagged', data: { ref: '“nginx”', name: 'nginx' }, range: [2, 12, 2, 17] }],
    },
    {
      name: 'compose anchor merged into two services: reported once where written',
      kind: 'compose',
      code: ANCHORED,
      errors: [{ messageId: 'untagged', data: { ref: '“redis”', name: 'redis' }, range: [1, 9, 1, 14] }],
    },
    {
      name: 'compose .env value',
      kind: 'compose',
      code: 'services:\n  web:\n    image: ${IMG}\n',
      dotenv: 'IMG=redis\n',
      errors: [
        {
          messageId: 'untagged',
          data: { ref: '“${IMG}” (resolves to “redis”)', name: 'redis' },
          range: [2, 11, 2, 17],
        },
      ],
    },
    {
      name: 'compose default when unset',
      kind: 'compose',
      code: 'services:\n  web:\n    image: ${IMG:-redis}\n',
      errors: [
        {
          messageId: 'untagged',
          data: { ref: '“${IMG:-redis}” (resolves to “redis”)', name: 'redis' },
          range: [2, 11, 2, 24],
        },
      ],
    },
    {
      name: 'compose CRLF',
      kind: 'compose',
      code: 'services:\r\n  web:\r\n    image: nginx\r\n',
      errors: [{ messageId: 'untagged', data: { ref: '“nginx”', name: 'nginx' }, range: [2, 11, 2, 16] }],
    },
  ],
});
