const DIGEST = 'sha256:' + 'a'.repeat(64);

/**
 * A small project that exercises every part of a scan: Dockerfiles, the scripts they run (in RUN and
 * as ENTRYPOINT), an image-build template and its script, a `buildScripts` config glob, Compose with
 * `.env` interpolation, a config with a problem, a binary file that is skipped.
 */
export const SCAN_PROJECT: Record<string, string | Buffer> = {
  '.driftguard.yaml': 'buildScripts: [ci/**]\nrules:\n  image-untaged: off\n',
  'app/Dockerfile':
    `FROM debian:12@${DIGEST}\nWORKDIR /src\nCOPY scripts/ ./scripts/\nRUN ./scripts/setup.sh\n` +
    `COPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT ["docker-entrypoint.sh"]\n`,
  'app/scripts/setup.sh': '#!/bin/sh\napt-get install -y curl\n',
  'app/docker-entrypoint.sh': '#!/bin/sh\napt-get install -y curl\nexec "$@"\n',
  'web/Dockerfile': 'FROM nginx\nFROM redis:latest\nRUN apt-get update && apt-get install -y curl=8.5.0-2\n',
  'deploy/compose.yaml': 'services:\n  web:\n    image: "nginx:${TAG}"\n    pull_policy: always\n',
  'deploy/.env': 'TAG=latest\n',
  'images/templates/ubuntu.pkr.hcl':
    'build {\n  provisioner "shell" {\n    scripts = ["${path.root}/../scripts/install-tools.sh"]\n  }\n}\n',
  'images/scripts/install-tools.sh': '#!/bin/bash\napt-get install -y jq\n',
  'ci/build.sh': '#!/bin/bash\napt-get install -y make\n',
  'ops/patch.sh': '#!/bin/sh\nssh web1 "apt-get install -y curl"\n',
  'bin/Dockerfile': Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x00, 0x01]),
};

/**
 * SCAN_PROJECT with what a scan's visit of the files finds before linting: a Compose build with a
 * named context, a bake target, a script run in a throwaway container, a generator's copies.
 */
export const BUILDS_PROJECT: Record<string, string | Buffer> = {
  ...SCAN_PROJECT,
  'compose.yaml':
    'services:\n  app:\n    build:\n      context: ./app\n      additional_contexts:\n        conf: ./ops\n',
  'docker-bake.hcl': 'target "web" {\n  context = "./web"\n}\n',
  'ops/test.sh': '#!/bin/sh\ndocker run --rm -v "$PWD:/w" debian:12 /w/ci/build.sh\n',
  'gen.sh': '#!/bin/sh\nfor v in 1 2; do cp app/docker-entrypoint.sh "$v/"; done\n',
};
