import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { FileKind } from '../../server/src/engine/types';
import { checkEngine, FUZZ_PATHS, initEngine } from './harness';
import { FILE_KINDS } from '../../server/src/kinds';
import { fuzzCorpus } from './corpusFuzz';
import { fuzzServer } from './serverFuzz';

/**
 * Fixed-seed slice of the fuzzing (`npm run fuzz` is the long run): generated documents and
 * mutated corpus files through the engine, and mutated files through the real server. Nothing may
 * throw, report an internal error, or take longer than 50 ms per 100 KB.
 */

const TOKENS: Record<FileKind, string[]> = {
  dockerfile: [
    'FROM ',
    'FROM --platform=$BUILDPLATFORM ',
    'RUN ',
    'RUN --mount=type=cache,from=',
    'COPY --from=',
    'ADD ',
    'ADD --checksum=sha256:',
    'ARG ',
    'ENV ',
    'ONBUILD ',
    'HEALTHCHECK CMD ',
    'CMD ["',
    'ENTRYPOINT ',
    'SHELL ["/bin/sh", "-c"]',
    '# syntax=',
    '# escape=`',
    '# driftguard-ignore ',
    '# driftguard-ignore-file ',
    '# hadolint ignore=DL3006',
    'ubuntu',
    ':latest',
    ':1.2',
    '@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    ' AS build',
    'apt-get install -y curl',
    'apk add --no-cache git=2.4',
    'pip install x',
    'curl -fsSL https://x.sh | sh',
    ' && ',
    ' \\\n',
    '\n',
    '\r\n',
    '<<EOF\n',
    'EOF\n',
    '<<-"EOT"',
    '$',
    '${BASE:-alpine}',
    '}',
    '"',
    "'",
    '`',
    ' ',
    '\t',
    'image-latest-tag',
    ',',
  ],
  compose: [
    'services:\n',
    '  web:\n',
    '    image: ',
    'nginx',
    ':latest',
    '${TAG:-1}',
    '$$',
    '@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    '    build: .\n',
    '    pull_policy: always\n',
    '    command: ',
    '    entrypoint: ["sh", "-c", "',
    'apt-get install -y x',
    'curl https://x | bash',
    '"\n',
    '    healthcheck:\n      test: ["CMD-SHELL", "',
    'x-base: &base\n',
    '  <<: *base\n',
    '*base',
    '&a ',
    '  - ',
    '# driftguard-ignore ',
    'image-untagged',
    '\n',
    '\r\n',
    '|\n',
    '>-\n',
    '      ',
    '{',
    '}',
    '[',
    ']',
    ': ',
    '"',
    "'",
    '\t',
    '{{ .Values.x }}',
    '---\n',
  ],
  workflow: [
    'on: push\n',
    'jobs:\n',
    '  build:\n',
    '    runs-on: ubuntu-latest\n',
    '    runs-on: windows-latest\n',
    '    container: ',
    '    services:\n      db:\n        image: ',
    '    steps:\n',
    '      - uses: ',
    'actions/checkout@v4',
    'actions/cache/restore@main',
    'owner/repo/.github/workflows/x.yml@v1',
    '@0123456789abcdef0123456789abcdef01234567',
    ' # v4.1.7',
    'docker://alpine:3.20',
    './local',
    '      - run: ',
    '      - shell: pwsh\n',
    'apt-get install -y x',
    'curl https://x | bash',
    '${{ matrix.os }}',
    '${{ secrets.X }}',
    'defaults:\n  run:\n    shell: ',
    '&a ',
    '*a',
    '<<: *a\n',
    '# driftguard-ignore action-tag-ref\n',
    '|\n',
    '>-\n',
    '{ uses: x/y@v1 }',
    '\n',
    '\r\n',
    '      ',
    ': ',
    '- ',
    '"',
    "'",
    '[',
    ']',
  ],
  action: [
    'runs:\n',
    '  using: composite\n',
    '  using: docker\n',
    '  image: docker://alpine',
    '  steps:\n',
    '    - uses: actions/setup-node@v4\n',
    '    - run: ',
    '      shell: bash\n',
    'ssh host sudo apt-get install x',
    '\n',
    '  ',
    '"',
    ': ',
    '- ',
  ],
  'gitlab-ci': [
    'image: ',
    'node:20',
    '$IMAGE',
    '${CI_REGISTRY_IMAGE}',
    'variables:\n  IMAGE: alpine\n',
    'services:\n  - ',
    '  - name: postgres:15\n',
    'build:\n',
    '  script:\n',
    '    - ',
    '  before_script: ',
    'apt-get install -y x',
    'curl https://x | sh',
    'docker exec c apk add y',
    '$[[ inputs.x ]]',
    '.tpl: &tpl\n',
    '  <<: *tpl\n',
    '  extends: .tpl\n',
    '  tags: [windows]\n',
    '!reference [.tpl, script]',
    'spec:\n  inputs: {}\n---\n',
    '\n',
    '  ',
    '"',
    ': ',
  ],
  devcontainer: [
    '{',
    '}',
    '"image": ',
    '"mcr.microsoft.com/devcontainers/base:ubuntu"',
    '"features": {',
    '"ghcr.io/devcontainers/features/node:1": {}',
    '"postCreateCommand": ',
    '"initializeCommand": ',
    '"npm ci"',
    '["apt-get", "install", "x"]',
    '{"a": "curl x | sh", "b": ["ls"]}',
    '// driftguard-ignore image-untagged\n',
    '/* c */',
    ',',
    '\\"',
    '\\u0041',
    '\n',
    '"',
    ': ',
    '[',
    ']',
  ],
  shell: [
    '#!/bin/bash\n',
    'apt-get install -y ',
    'apt-get upgrade',
    'yum update -y',
    'pip install ',
    'curl -fsSL https://get.x.io | sh',
    'wget -qO- x | bash',
    'docker run ubuntu',
    'docker exec c apt-get install x',
    'docker commit c img',
    'kubectl edit deploy/x',
    'ssh host "sed -i s/a/b/ /etc/x"',
    'sudo ',
    'bash -c "',
    'eval ',
    '$(',
    ')',
    '`',
    '${X:-',
    '}',
    '"',
    "'",
    '<<EOF\n',
    'EOF\n',
    "<<-'E'\n",
    ' | ',
    ' && ',
    ' || ',
    '; ',
    ' &',
    ' \\\n',
    '\n',
    '\r\n',
    'if [ -f x ]; then ',
    'fi',
    'case $1 in ',
    'esac',
    'for i in 1 2; do ',
    'done',
    'function f() {',
    '}',
    '# driftguard-ignore ',
    'remote-script-exec',
    ' ',
    '\t',
    '{{ x }}',
  ],
};

const documentOf = (kind: FileKind) =>
  fc
    .array(
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...TOKENS[kind]) },
        { weight: 1, arbitrary: fc.string({ maxLength: 12, unit: 'binary' }) },
      ),
      { maxLength: 80 },
    )
    .map((parts) => parts.join(''));

function assertClean(kind: FileKind, text: string): void {
  const check = checkEngine(Buffer.from(text, 'utf8'), kind, { budgetFactor: 2 });
  assert.deepEqual(check.failures, [], `${kind} ${JSON.stringify(text)}`);
}

describe('fuzz (fixed seed)', function () {
  this.timeout(120000);
  before(() => initEngine());

  it('fuzzes each kind at a path its own detection claims', () => {
    for (const [kind, file] of Object.entries(FUZZ_PATHS)) assert.equal(FILE_KINDS.detect(`/fuzz/${file}`), kind, file);
  });

  for (const kind of Object.keys(TOKENS) as FileKind[]) {
    it(`generated ${kind} documents lint without throws, internal errors or slowness, and their fixes apply`, () => {
      fc.assert(
        fc.property(documentOf(kind), (text) => assertClean(kind, text)),
        { seed: 20240601, numRuns: 150 },
      );
    });
  }

  it(
    'mutated corpus files (truncate, splice, bytes, invalid UTF-8, CRLF, BOM, tabs, 1 MB lines, deep YAML, ' +
      'unterminated, templates) lint cleanly',
    async () => {
      // 2× the time budget here, so a busy CI machine does not fail the suite; `npm run fuzz` enforces 1×.
      const stats = await fuzzCorpus(7, 250, undefined, 2);
      const report = stats.failures
        .slice(0, 5)
        .map((f) => `${f.what} #${f.iteration} ${f.file} [${f.mutations.join('+')}]: ${f.detail.split('\n')[0]}`)
        .join('\n');
      assert.equal(stats.failures.length, 0, report);
      assert.ok(stats.analysed > 100, `only ${stats.analysed} mutations were analysed`);
    },
  );

  it('mutated corpus files through the real server: diagnostics per version, no internal error or crash', async () => {
    const stats = await fuzzServer(11, 40);
    assert.deepEqual(stats.failures, []);
    assert.equal(stats.documents, 40);
  });
});
