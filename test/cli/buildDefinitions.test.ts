import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/repo';
import { tempTree } from '../helpers/tempTree';

const CLI = path.join(REPO_ROOT, 'out', 'server', 'src', 'cli', 'main.js');
const DIGEST = 'sha256:' + 'a'.repeat(64);
const INSTALL = '#!/bin/sh\napt-get install -y curl\n';

interface ScanJson {
  files: Array<{ path: string; problems: Array<{ ruleId: string; message: string }> }>;
  skipped: Array<{ path: string; reason: string }>;
}

function scan(root: string): ScanJson {
  const r = spawnSync(process.execPath, [CLI, '--format', 'json', '.'], { cwd: root, encoding: 'utf8' });
  return JSON.parse(r.stdout) as ScanJson;
}

/** Scans a tree and gives, per file with findings or named in `keep`, `rule: message up to its first colon`. */
function findings(files: Record<string, string>, keep: readonly string[] = []): Record<string, string[]> {
  const json = scan(tempTree(files));
  return Object.fromEntries(
    json.files
      .map((f) => [f.path.split(path.sep).join('/'), f.problems.map((p) => `${p.ruleId}: ${p.message.split(':')[0]}`)])
      .filter(([file, problems]) => problems!.length > 0 || keep.includes(file as string)),
  ) as Record<string, string[]>;
}

const atStart = 'live-package-change: “apt-get install” installs packages into the container at every start';
const onHost = 'live-package-change: “apt-get install” installs packages on the host this script runs on';
const unpinned = 'package-unpinned: curl is installed without a version, so each build may get a different one. Pin it';

/** A Dockerfile that runs `built` at build and starts `started` in its containers (both copied from its context). */
function dockerfile(built: string, started: string, extra = ''): string {
  return (
    `FROM debian:12@${DIGEST}\n${extra}COPY ${built} /usr/local/bin/${path.posix.basename(built)}\n` +
    `RUN ${path.posix.basename(built)}\nCOPY ${started} /start.sh\nCMD ["/start.sh"]\n`
  );
}

describe('build contexts other files define (scan)', () => {
  it('Compose build.context and build.dockerfile: a context beside the Dockerfile’s folder', () => {
    assert.deepEqual(
      findings({
        'deploy/compose.yaml':
          'services:\n  app:\n    build:\n      context: ../src\n      dockerfile: ../deploy/docker/Dockerfile\n',
        'deploy/docker/Dockerfile': dockerfile('setup.sh', 'start.sh'),
        'src/setup.sh': INSTALL,
        'src/start.sh': INSTALL,
        'other/setup.sh': INSTALL,
      }),
      { 'other/setup.sh': [onHost], 'src/setup.sh': [unpinned], 'src/start.sh': [atStart] },
    );
  });

  it('a context a build names is tried before the Dockerfile’s folder', () => {
    assert.deepEqual(
      findings({
        'compose.yaml': 'services:\n  app:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n',
        'docker/Dockerfile': `FROM debian:12@${DIGEST}\nCOPY start.sh /start.sh\nCMD ["/start.sh"]\n`,
        'start.sh': INSTALL,
        'docker/start.sh': INSTALL,
      }),
      { 'docker/start.sh': [onHost], 'start.sh': [atStart] },
    );
  });

  it('docker build -f and docker buildx build --build-context in scripts and workflow run: steps', () => {
    assert.deepEqual(
      findings({
        'scripts/images.sh':
          '#!/bin/sh\ndocker build -t worker -f images/worker/Dockerfile tools\n' +
          'docker buildx build --build-context conf=./conf -f "$PWD/images/web/Dockerfile" .\n',
        'images/worker/Dockerfile': dockerfile('deps.sh', 'run.sh'),
        'tools/deps.sh': INSTALL,
        'tools/run.sh': INSTALL,
        'images/web/Dockerfile':
          `FROM nginx:1@${DIGEST}\nCOPY --from=conf start.sh /start.sh\n` + 'ENTRYPOINT ["/start.sh"]\n',
        'conf/start.sh': INSTALL,
        '.github/workflows/release.yml':
          'on: push\njobs:\n  image:\n    runs-on: ubuntu-24.04\n    steps:\n' +
          '      - run: podman build --file build/Dockerfile.release pkg\n',
        'build/Dockerfile.release': dockerfile('install-deps.sh', 'entry.sh'),
        'pkg/install-deps.sh': INSTALL,
        'pkg/entry.sh': INSTALL,
      }),
      {
        'conf/start.sh': [atStart],
        'pkg/entry.sh': [atStart],
        'pkg/install-deps.sh': [unpinned],
        'tools/deps.sh': [unpinned],
        'tools/run.sh': [atStart],
      },
    );
  });

  it('bake targets (HCL): context, dockerfile, inherits, variables and named contexts', () => {
    const bake =
      '# Bake file\nvariable "ROOT" {\n  default = "."\n}\n' +
      'target "common" {\n  context = "${ROOT}/services"\n  dockerfile = "../docker/app.Dockerfile"\n}\n' +
      'target "base" {\n  dockerfile = "docker/base.Dockerfile"\n}\n' +
      'target "app" {\n  inherits = ["common"]\n  contexts = {\n    baseapp = "target:base"\n' +
      '    templates = "${ROOT}/templates"\n  }\n  tags = ["example/app:${ROOT}", lower("X")]\n}\n';
    assert.deepEqual(
      findings(
        {
          'docker-bake.hcl': bake,
          'docker/base.Dockerfile': `FROM debian:12@${DIGEST}\n`,
          'docker/app.Dockerfile':
            'FROM baseapp\nCOPY run.sh /usr/local/bin/\nRUN run.sh\nCOPY --from=templates entry.sh /\n' +
            'CMD ["/entry.sh"]\n',
          'services/run.sh': INSTALL,
          'templates/entry.sh': INSTALL,
        },
        ['docker/app.Dockerfile'],
      ),
      { 'docker/app.Dockerfile': [], 'services/run.sh': [unpinned], 'templates/entry.sh': [atStart] },
    );
  });

  it('bake targets (JSON), and Compose additional_contexts: named contexts are not images', () => {
    assert.deepEqual(
      findings(
        {
          'docker-bake.json': JSON.stringify({
            target: { web: { context: 'web', contexts: { assets: './assets', node: 'docker-image://node:22' } } },
          }),
          'web/Dockerfile':
            'FROM node AS build\nCOPY --from=assets build.sh /build.sh\nRUN /build.sh\n' +
            `FROM nginx:1@${DIGEST}\nCOPY --from=build /out /srv\n`,
          'assets/build.sh': INSTALL,
          'e2e/compose.yaml':
            'services:\n  base:\n    build:\n      dockerfile: base.dockerfile\n  service:\n    build:\n' +
            '      dockerfile: service.dockerfile\n      additional_contexts:\n        - base=service:base\n',
          'e2e/base.dockerfile': `FROM alpine:3@${DIGEST}\n`,
          'e2e/service.dockerfile': 'FROM base\nCMD ["/bin/true"]\n',
          'e2e/other.dockerfile': 'FROM base\n',
        },
        ['web/Dockerfile', 'e2e/service.dockerfile'],
      ),
      {
        'assets/build.sh': [unpinned],
        'e2e/other.dockerfile': [
          'image-untagged: “base” has no tag, so it means “latest”, which moves with every push',
        ],
        'e2e/service.dockerfile': [],
        'web/Dockerfile': [],
      },
    );
  });

  it('a file of a named context resolves only in that context’s folder', () => {
    assert.deepEqual(
      findings({
        'compose.yaml':
          'services:\n  app:\n    build:\n      context: app\n      additional_contexts:\n        conf: ./conf\n',
        'app/Dockerfile': `FROM debian:12@${DIGEST}\nCOPY --from=conf start.sh /start.sh\nCMD ["/start.sh"]\n`,
        'app/start.sh': INSTALL,
        'conf/start.sh': INSTALL,
        'start.sh': INSTALL,
      }),
      { 'app/start.sh': [onHost], 'conf/start.sh': [atStart], 'start.sh': [onHost] },
    );
  });

  it('bake files that are invalid, too large or links define nothing (the first two listed as skipped)', function () {
    if (process.platform === 'win32') this.skip();
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-outside-'));
    const root = tempTree({
      'docker-bake.override.hcl': 'target "app" {\n  context = "src"\n',
      'docker-bake.prod.hcl': `# ${'x'.repeat(1024 * 1024)}\ntarget "app" {\n  context = "src"\n}\n`,
      'a/Dockerfile': dockerfile('setup.sh', 'start.sh'),
      'src/setup.sh': INSTALL,
      'src/start.sh': INSTALL,
    });
    fs.writeFileSync(
      path.join(outside, 'docker-bake.hcl'),
      `target "app" {\n  context = "${root}/src"\n  dockerfile = "${root}/a/Dockerfile"\n}\n`,
    );
    fs.symlinkSync(path.join(outside, 'docker-bake.hcl'), path.join(root, 'docker-bake.hcl'));
    const json = scan(root);
    assert.deepEqual(
      json.skipped.map((s) => `${s.path.split(path.sep).join('/')}: ${s.reason.split(' (')[0]}`).sort(),
      [
        'docker-bake.override.hcl: not read: invalid bake file',
        'docker-bake.prod.hcl: not read: larger than the 1 MB limit',
      ],
    );
    const scripts = json.files.filter((f) => f.path.startsWith('src')).map((f) => f.problems.map((p) => p.ruleId));
    assert.deepEqual(scripts, [['live-package-change'], ['live-package-change']]);
  });
});
