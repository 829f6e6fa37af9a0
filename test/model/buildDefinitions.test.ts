import * as assert from 'node:assert/strict';
import { bakeBuilds } from '../../server/src/model/bake';
import type { BuildDefinition } from '../../server/src/model/buildDefinition';
import { HclSyntaxError, parseHcl } from '../../server/src/model/hcl';
import { testEngine } from '../helpers/engine';

const file = (context: string, dockerfile: string, namedContexts: Array<[string, string]> = []): BuildDefinition => ({
  base: 'file',
  context,
  dockerfile,
  namedContexts,
});
const cwd = (context: string, dockerfile: string, namedContexts: Array<[string, string]> = []): BuildDefinition => ({
  base: 'cwd',
  context,
  dockerfile,
  namedContexts,
});

describe('HCL (the part bake files use)', () => {
  it('blocks, labels, attributes, strings, numbers, lists, objects, heredocs and comments', () => {
    const body = parseHcl(
      '// top\n/* block\ncomment */\nvariable "TAG" {\n  default = "1.0" # trailing\n}\n' +
        'target "app" {\n  context = "./a b"\n  platforms = ["linux/amd64",\n    "linux/arm64",\n  ]\n' +
        '  args = {\n    A = 1, "B": true\n    C = null\n  }\n  text = <<-EOT\n    line ${TAG}\n  EOT\n' +
        '  escaped = "q\\"\\u00e9 $${literal}"\n  empty = {}\n}\n',
    );
    assert.deepEqual(body.attributes, []);
    assert.deepEqual(
      body.blocks.map((b) => [b.type, b.labels]),
      [
        ['variable', ['TAG']],
        ['target', ['app']],
      ],
    );
    assert.deepEqual(body.blocks[0]!.body.attributes, [['default', { kind: 'string', value: '1.0', template: false }]]);
    assert.deepEqual(Object.fromEntries(body.blocks[1]!.body.attributes), {
      context: { kind: 'string', value: './a b', template: false },
      platforms: {
        kind: 'list',
        items: [
          { kind: 'string', value: 'linux/amd64', template: false },
          { kind: 'string', value: 'linux/arm64', template: false },
        ],
      },
      args: {
        kind: 'object',
        entries: [
          ['A', { kind: 'number', value: '1' }],
          ['B', { kind: 'bool', value: 'true' }],
          ['C', { kind: 'null', value: 'null' }],
        ],
      },
      text: { kind: 'string', value: '    line ${TAG}', template: true },
      escaped: { kind: 'string', value: 'q"é ${literal}', template: false },
      empty: { kind: 'object', entries: [] },
    });
  });

  it('expressions it does not evaluate are kept as `other`, templates as written', () => {
    const body = parseHcl(
      'function "tag" {\n  params = [v]\n  result = ["${v}-${substr(v, 0, 2)}"]\n}\n' +
        'target "a" {\n  tags = tag("x")\n  ctx = FLAG ? "." : "b"\n  list = [for v in ["a", "b"] : upper(v)]\n' +
        '  nested = "${join(",", ["a}", "b"])}/x"\n  map = { for k, v in X : k => v }\n  n = -1.5e3\n}\n',
    );
    const target = Object.fromEntries(body.blocks[1]!.body.attributes);
    assert.deepEqual(target, {
      tags: { kind: 'other' },
      ctx: { kind: 'other' },
      list: { kind: 'other' },
      nested: { kind: 'string', value: '${join(",", ["a}", "b"])}/x', template: true },
      map: { kind: 'other' },
      n: { kind: 'number', value: '-1.5e3' },
    });
  });

  it('says where it cannot read, and refuses nesting beyond its bound', () => {
    for (const [text, message] of [
      ['target "a" {\n  context = "x\n}\n', 'unterminated string at line 2'],
      ['target "a" {\n  context = "x"\n', 'expected "}" at line 3'],
      ['target "a" {\n  x = {\n    a\n  }\n}\n', 'expected "=" or ":" at line 3'],
      ['target "a" = {}\n', 'expected a block label or "{" at line 1'],
      ['= 1\n', 'expected an attribute or a block at line 1'],
      [`x = ${'['.repeat(200)}${']'.repeat(200)}\n`, 'nesting too deep at line 1'],
      [`x = ${'{a = '.repeat(100)}1${'}'.repeat(100)}\n`, 'nesting too deep at line 1'],
    ] as const) {
      assert.throws(
        () => parseHcl(text),
        (error: unknown) => error instanceof HclSyntaxError && error.message === message,
        text,
      );
    }
  });
});

describe('builds that files define', () => {
  it('bake HCL: defaults, inherits (later parents and own attributes win), variables, named contexts', () => {
    const hcl =
      'variable "SRC" {\n  default = "src"\n}\nvariable "FROM_ENV" {}\n' +
      'target "_common" {\n  context = "${SRC}"\n  contexts = { conf = "./conf" }\n}\n' +
      'target "_other" {\n  dockerfile = "build/Dockerfile"\n}\n' +
      'target "app" {\n  inherits = ["_common", "_other"]\n' +
      '  contexts = { base = "target:base", conf = "./conf" }\n}\n' +
      'target "plain" {}\n' +
      'target "unknown" {\n  context = "${FROM_ENV}"\n}\n' +
      'target "inline" {\n  dockerfile-inline = "FROM alpine"\n}\n' +
      'target "loop" {\n  inherits = ["loop2"]\n}\ntarget "loop2" {\n  inherits = ["loop"]\n  context = "l"\n}\n';
    assert.deepEqual(bakeBuilds(hcl, 'hcl'), [
      file('src', 'src/Dockerfile', [['conf', './conf']]),
      file('.', 'build/Dockerfile'),
      file('src', 'src/build/Dockerfile', [
        ['base', 'target:base'],
        ['conf', './conf'],
      ]),
      file('.', 'Dockerfile'),
      file('l', 'l/Dockerfile'),
      file('l', 'l/Dockerfile'),
    ]);
  });

  it('bake JSON, and what is not a bake file', () => {
    const json = JSON.stringify({
      variable: { DIR: { default: 'svc' } },
      target: {
        api: {
          context: '${DIR}',
          dockerfile: '/abs/Dockerfile',
          contexts: { tools: '../tools', img: 'docker-image://x' },
        },
        bad: { context: 1 },
      },
    });
    assert.deepEqual(bakeBuilds(json, 'json'), [
      file('svc', '/abs/Dockerfile', [
        ['tools', '../tools'],
        ['img', 'docker-image://x'],
      ]),
    ]);
    assert.throws(() => bakeBuilds('{', 'json'));
    assert.deepEqual(bakeBuilds('[1]', 'json'), []);
  });

  it('Compose services: context, dockerfile, additional_contexts (map and list), .env values', () => {
    const compose =
      'services:\n  a:\n    build: ./a\n  b:\n    build:\n      context: ${CTX}\n' +
      '      dockerfile: docker/b.Dockerfile\n      additional_contexts:\n        conf: ./conf\n' +
      '        img: docker-image://alpine:3\n        later: ${LATER}\n' +
      '  c:\n    build:\n      dockerfile: c.Dockerfile\n      additional_contexts:\n        - base=service:a\n' +
      '  remote:\n    build: https://github.com/x/y.git\n' +
      '  inline:\n    build:\n      dockerfile_inline: FROM alpine\n' +
      '  unset:\n    build:\n      context: ${UNSET}\n  image:\n    image: nginx\n';
    const builds = testEngine().buildDefinitions({
      path: '/w/compose.yaml',
      kind: 'compose',
      text: compose,
      dotenv: 'CTX=..\n',
    });
    assert.deepEqual(builds, [
      file('./a', 'a/Dockerfile'),
      file('..', '../docker/b.Dockerfile', [
        ['conf', './conf'],
        ['img', 'docker-image://alpine:3'],
        ['later', ''],
      ]),
      file('.', 'c.Dockerfile', [['base', 'service:a']]),
    ]);
  });

  it('docker build -f / buildx --build-context / podman build command lines, in scripts and CI files', () => {
    const script =
      '#!/bin/sh\ndocker build -t app:1 --build-arg A=1 -f docker/app/Dockerfile .\n' +
      'docker buildx build --platform linux/amd64 --build-context conf=./conf --build-context img=docker-image://x ' +
      '--file=web/Dockerfile web\n' +
      'podman build -fContainerfile.dev "$(pwd)"\n' +
      'docker image build -f "${PWD}/x/Dockerfile" --no-cache ./x\n' +
      'docker build -f "$DOCKERFILE" .\ndocker build -f Dockerfile.a "$CTX"\n' +
      'docker build .\ndocker build -f - . < x\n' +
      'docker run -f Dockerfile .\nssh host docker build -f remote/Dockerfile .\n';
    assert.deepEqual(testEngine().buildDefinitions({ path: '/w/build.sh', kind: 'shell', text: script }), [
      cwd('.', 'docker/app/Dockerfile'),
      cwd('web', 'web/Dockerfile', [
        ['conf', './conf'],
        ['img', 'docker-image://x'],
      ]),
      cwd('.', 'Containerfile.dev'),
      cwd('./x', 'x/Dockerfile'),
    ]);
    const workflow =
      'on: push\njobs:\n  b:\n    runs-on: ubuntu-24.04\n    steps:\n' +
      '      - run: |\n          docker build -f ci/Dockerfile .\n';
    assert.deepEqual(
      testEngine().buildDefinitions({ path: '/w/.github/workflows/b.yml', kind: 'workflow', text: workflow }),
      [file('../..', '../../ci/Dockerfile')],
    );
    assert.deepEqual(
      testEngine().buildDefinitions({ path: '/w/Dockerfile', kind: 'dockerfile', text: 'RUN docker build -f x .\n' }),
      [],
    );
  });

  it('a script is read for builds when its text names a docker-like program, also through a variable it sets', () => {
    const builds = (text: string) => testEngine().buildDefinitions({ path: '/w/b.sh', kind: 'shell', text });
    for (const program of ['docker', 'podman', 'nerdctl', '/usr/local/bin/nerdctl'])
      assert.deepEqual(
        builds(`#!/bin/sh\n${program} build -f ci/Dockerfile .\n`),
        [cwd('.', 'ci/Dockerfile')],
        program,
      );
    assert.deepEqual(builds('#!/bin/sh\nENGINE=podman\n"$ENGINE" build -f ci/Dockerfile .\n'), [
      cwd('.', 'ci/Dockerfile'),
    ]);
    assert.deepEqual(builds('#!/bin/sh\nmake build -f ci/Makefile .\nrm -f build\n'), []);
  });

  it('CI steps: docker build from the step’s folder (working-directory, defaults.run, cd), against the file', () => {
    const workflow =
      'on: push\ndefaults:\n  run:\n    working-directory: services\njobs:\n  b:\n    runs-on: ubuntu-24.04\n' +
      '    steps:\n      - run: docker build -f app/Dockerfile --build-context conf=../conf' +
      ' --build-context i=docker-image://x app\n' +
      '      - run: cd web && docker build -f Dockerfile.ci .\n        working-directory: ./front\n' +
      '      - run: docker build -f Dockerfile .\n        working-directory: ${{ matrix.dir }}\n' +
      '      - run: docker build -f /abs/Dockerfile "$GITHUB_WORKSPACE"\n';
    assert.deepEqual(
      testEngine().buildDefinitions({ path: '/w/.github/workflows/b.yml', kind: 'workflow', text: workflow }),
      [
        file('../../services/app', '../../services/app/Dockerfile', [
          ['conf', '../../conf'],
          ['i', 'docker-image://x'],
        ]),
        file('../../front/web', '../../front/web/Dockerfile.ci'),
      ],
    );
    const gitlab = 'base-image:\n  script:\n    - cd images/base\n    - docker build -f Dockerfile ..\n';
    assert.deepEqual(testEngine().buildDefinitions({ path: '/w/.gitlab-ci.yml', kind: 'gitlab-ci', text: gitlab }), [
      file('images', 'images/base/Dockerfile'),
    ]);
    // An action outside `.github/` runs in a workspace the file does not place: paths are guessed as in a script.
    const action =
      'runs:\n  using: composite\n  steps:\n    - run: docker build -f ci/Dockerfile .\n      shell: bash\n';
    assert.deepEqual(testEngine().buildDefinitions({ path: '/w/tools/action.yml', kind: 'action', text: action }), [
      cwd('.', 'ci/Dockerfile'),
    ]);
  });
});
