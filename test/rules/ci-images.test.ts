import imageUntagged from '../../server/src/rules/image-untagged';
import imageLatestTag from '../../server/src/rules/image-latest-tag';
import imageUnpinnedDigest from '../../server/src/rules/image-unpinned-digest';
import { ruleTester } from '../helpers/ruleTester';

/** The image rules on every image form of the CI and dev-environment file kinds. */

const DIGEST = '@sha256:0514d702d8c2a06b33bba4d0c0a8bb04f5b2e7a3c2f1d06a2b1e4a6ffb4cb3d2';

ruleTester(imageUntagged, {
  valid: [
    {
      name: 'workflow: matrix expression',
      kind: 'workflow',
      code: 'jobs:\n  a:\n    container: ${{ matrix.image }}\n',
    },
    {
      name: 'workflow: tag from an expression',
      kind: 'workflow',
      code: 'jobs:\n  a:\n    container:\n      image: node:${{ matrix.node }}\n',
    },
    { name: 'workflow: digest', kind: 'workflow', code: `jobs:\n  a:\n    container: node${DIGEST}\n` },
    {
      name: 'gitlab: predefined variable',
      kind: 'gitlab-ci',
      code: 'image: $CI_REGISTRY_IMAGE\nbuild:\n  script: make\n',
    },
    {
      name: 'gitlab: variable defined in project settings only',
      kind: 'gitlab-ci',
      code: 'build:\n  image: ${BUILD_IMAGE}\n  script: make\n',
    },
    {
      name: 'gitlab: component input',
      kind: 'gitlab-ci',
      code: 'spec:\n  inputs:\n    image:\n---\nbuild:\n  image: $[[ inputs.image ]]\n',
    },
    {
      name: 'gitlab: a key that is not a job',
      kind: 'gitlab-ci',
      code: 'workflow:\n  image: nginx\nstages: [build]\n',
    },
    {
      name: 'devcontainer: old short feature ids and local features are not OCI references',
      kind: 'devcontainer',
      code: '{\n  "features": { "node": "lts", "./local-feature": {} }\n}\n',
    },
    {
      name: 'devcontainer: Dockerfile build',
      kind: 'devcontainer',
      code: '{ "build": { "dockerfile": "Dockerfile" } }\n',
    },
    {
      name: 'devcontainer: ignore comment before the property',
      kind: 'devcontainer',
      code: '{\n  // driftguard-ignore image-untagged -- rebuilt daily\n  "image": "ubuntu"\n}\n',
    },
    {
      name: 'action: a Dockerfile build is not a pull',
      kind: 'action',
      code: "runs:\n  using: docker\n  image: 'Dockerfile'\n",
    },
  ],
  invalid: [
    {
      name: 'workflow: container as a string, services as maps (block and flow)',
      kind: 'workflow',
      code:
        'jobs:\n' +
        '  test:\n' +
        '    runs-on: ubuntu-latest\n' +
        '    container: node\n' +
        '    services:\n' +
        '      db:\n' +
        '        image: postgres\n' +
        '      cache: { image: "redis" }\n',
      errors: [
        { messageId: 'untagged', data: { ref: '“node”', name: 'node' }, range: [3, 15, 3, 19] },
        { messageId: 'untagged', data: { ref: '“postgres”', name: 'postgres' }, range: [6, 15, 6, 23] },
        { messageId: 'untagged', data: { ref: '“redis”', name: 'redis' }, range: [7, 23, 7, 28] },
      ],
    },
    {
      name: 'workflow: container.image',
      kind: 'workflow',
      code: 'jobs:\n  test:\n    container:\n      image: ghcr.io/acme/ci\n      options: --cpus 1\n',
      errors: [
        { messageId: 'untagged', data: { ref: '“ghcr.io/acme/ci”', name: 'ghcr.io/acme/ci' }, range: [3, 13, 3, 28] },
      ],
    },
    {
      name: 'workflow: docker:// step',
      kind: 'workflow',
      code: 'jobs:\n  a:\n    steps:\n      - uses: docker://alpine\n        with: { args: ls }\n',
      errors: [{ messageId: 'untagged', data: { ref: '“alpine”', name: 'alpine' }, range: [3, 23, 3, 29] }],
    },
    {
      name: 'action: Docker action image',
      kind: 'action',
      code: 'runs:\n  using: "docker"\n  image: "docker://ghcr.io/acme/tool"\n',
      errors: [
        {
          messageId: 'untagged',
          data: { ref: '“ghcr.io/acme/tool”', name: 'ghcr.io/acme/tool' },
          range: [2, 19, 2, 36],
        },
      ],
    },
    {
      name: 'gitlab: image string at top level, in default and in a job',
      kind: 'gitlab-ci',
      code: 'image: ruby\ndefault:\n  image: node\ntest:\n  image: python\n  script: pytest\n',
      errors: [
        { messageId: 'untagged', data: { ref: '“ruby”', name: 'ruby' }, range: [0, 7, 0, 11] },
        { messageId: 'untagged', data: { ref: '“node”', name: 'node' }, range: [2, 9, 2, 13] },
        { messageId: 'untagged', data: { ref: '“python”', name: 'python' }, range: [4, 9, 4, 15] },
      ],
    },
    {
      name: 'gitlab: image.name and services as strings and names',
      kind: 'gitlab-ci',
      code:
        'test:\n' +
        '  image:\n' +
        '    name: golang\n' +
        '    entrypoint: [""]\n' +
        '  services:\n' +
        '    - postgres\n' +
        '    - name: redis\n' +
        '      alias: cache\n' +
        '  script: go test\n',
      errors: [
        { messageId: 'untagged', data: { ref: '“golang”', name: 'golang' }, range: [2, 10, 2, 16] },
        { messageId: 'untagged', data: { ref: '“postgres”', name: 'postgres' }, range: [5, 6, 5, 14] },
        { messageId: 'untagged', data: { ref: '“redis”', name: 'redis' }, range: [6, 12, 6, 17] },
      ],
    },
    {
      name: 'gitlab: hidden template job, anchors and merge keys, reported once where written',
      kind: 'gitlab-ci',
      code:
        '.base: &base\n' +
        '  image: alpine\n' +
        '  tags: [docker]\n' +
        'a:\n' +
        '  <<: *base\n' +
        '  script: make a\n' +
        'b:\n' +
        '  extends: .base\n' +
        '  script: make b\n',
      errors: [{ messageId: 'untagged', data: { ref: '“alpine”', name: 'alpine' }, range: [1, 9, 1, 15] }],
    },
    {
      name: 'gitlab: a variable the file defines, job variables before global ones',
      kind: 'gitlab-ci',
      code:
        'variables:\n' +
        '  IMAGE: debian\n' +
        'build:\n' +
        '  variables:\n' +
        '    TOOLS: { value: "busybox", description: tools }\n' +
        '  image: $IMAGE\n' +
        '  services: [ "${TOOLS}" ]\n',
      errors: [
        {
          messageId: 'untagged',
          data: { ref: '“$IMAGE” (resolves to “debian”)', name: 'debian' },
          range: [5, 9, 5, 15],
        },
        {
          messageId: 'untagged',
          data: { ref: '“${TOOLS}” (resolves to “busybox”)', name: 'busybox' },
          range: [6, 15, 6, 23],
        },
      ],
    },
    {
      name: 'gitlab: *.gitlab-ci.yml with a component header',
      kind: 'gitlab-ci',
      code:
        'spec:\n' +
        '  inputs:\n' +
        '    stage: { default: test }\n' +
        '---\n' +
        'lint:\n' +
        '  image: koalaman/shellcheck-alpine\n' +
        '  script: shellcheck *.sh\n',
      errors: [
        {
          messageId: 'untagged',
          data: { ref: '“koalaman/shellcheck-alpine”', name: 'koalaman/shellcheck-alpine' },
          range: [5, 9, 5, 35],
        },
      ],
    },
    {
      name: 'devcontainer: image with comments and trailing commas',
      kind: 'devcontainer',
      code: '// dev environment\n{\n  /* base */ "image": "ubuntu", // noble\n  "features": {},\n}\n',
      errors: [{ messageId: 'untagged', data: { ref: '“ubuntu”', name: 'ubuntu' }, range: [2, 23, 2, 29] }],
    },
    {
      name: 'devcontainer: an untagged OCI feature',
      kind: 'devcontainer',
      code: '{\n  "features": {\n    "ghcr.io/devcontainers/features/docker-in-docker": { "moby": true },\n  },\n}\n',
      errors: [
        {
          messageId: 'untagged',
          data: {
            ref: '“ghcr.io/devcontainers/features/docker-in-docker”',
            name: 'ghcr.io/devcontainers/features/docker-in-docker',
          },
          range: [2, 5, 2, 52],
        },
      ],
    },
  ],
});

ruleTester(imageLatestTag, {
  valid: [{ name: 'gitlab: tagged', kind: 'gitlab-ci', code: 'image: alpine:3.20\n' }],
  invalid: [
    {
      name: 'gitlab: latest service in flow style',
      kind: 'gitlab-ci',
      code: 'test:\n  services: [{ name: "mysql:latest", alias: db }]\n  script: make\n',
      errors: [{ messageId: 'latest', data: { ref: '“mysql:latest”', name: 'mysql' }, range: [1, 28, 1, 34] }],
    },
    {
      name: 'workflow: latest docker step',
      kind: 'workflow',
      code: 'jobs:\n  a:\n    steps:\n      - uses: docker://hashicorp/terraform:latest\n',
      errors: [
        {
          messageId: 'latest',
          data: { ref: '“hashicorp/terraform:latest”', name: 'hashicorp/terraform' },
          range: [3, 43, 3, 49],
        },
      ],
    },
    {
      name: 'devcontainer: latest image',
      kind: 'devcontainer',
      code: '{ "image": "mcr.microsoft.com/devcontainers/base:latest" }\n',
      errors: [
        {
          messageId: 'latest',
          data: { ref: '“mcr.microsoft.com/devcontainers/base:latest”', name: 'mcr.microsoft.com/devcontainers/base' },
          range: [0, 49, 0, 55],
        },
      ],
    },
  ],
});

ruleTester(imageUnpinnedDigest, {
  valid: [
    {
      name: 'devcontainer: feature pinned by digest',
      kind: 'devcontainer',
      code: `{ "features": { "ghcr.io/devcontainers/features/node${DIGEST}": {} } }\n`,
    },
    { name: 'gitlab: pinned', kind: 'gitlab-ci', code: `image: node:20${DIGEST}\n` },
  ],
  invalid: [
    {
      name: 'workflow: tagged container and service',
      kind: 'workflow',
      code: 'jobs:\n  a:\n    container: node:20-bookworm\n    services:\n      db:\n        image: postgres:16\n',
      errors: [
        {
          messageId: 'unpinned',
          data: { ref: '“node:20-bookworm”', name: 'node', tag: '20-bookworm' },
          range: [2, 20, 2, 31],
        },
        { messageId: 'unpinned', data: { ref: '“postgres:16”', name: 'postgres', tag: '16' }, range: [5, 24, 5, 26] },
      ],
    },
    {
      name: 'devcontainer: image and versioned features',
      kind: 'devcontainer',
      code:
        '{\n' +
        '  "image": "mcr.microsoft.com/devcontainers/typescript-node:1-20-bookworm",\n' +
        '  "features": {\n' +
        '    "ghcr.io/devcontainers/features/github-cli:1": {},\n' +
        '  }\n' +
        '}\n',
      errors: [
        {
          messageId: 'unpinned',
          data: {
            ref: '“mcr.microsoft.com/devcontainers/typescript-node:1-20-bookworm”',
            name: 'mcr.microsoft.com/devcontainers/typescript-node',
            tag: '1-20-bookworm',
          },
          range: [1, 60, 1, 73],
        },
        {
          messageId: 'unpinned',
          data: {
            ref: '“ghcr.io/devcontainers/features/github-cli:1”',
            name: 'ghcr.io/devcontainers/features/github-cli',
            tag: '1',
          },
          range: [3, 47, 3, 48],
        },
      ],
    },
  ],
});
