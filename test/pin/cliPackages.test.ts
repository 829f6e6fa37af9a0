import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/repo';
import { tempTree } from '../helpers/tempTree';
import { useSeededRegistry } from '../helpers/registryFixture';
import { pushBaseImages } from '../helpers/baseImages';
import { aptCandidates, debianMirrorFromAptLists } from '../helpers/debianMirror';
import { serveFolder, StaticServer } from '../helpers/staticServer';
import { writePackageIndices } from '../helpers/packageIndices';

const CLI = path.join(REPO_ROOT, 'out', 'server', 'src', 'cli', 'main.js');

function cli(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('driftguard pin --packages (loopback registry, Debian mirror and indices)', function () {
  this.timeout(300_000);
  const seeded = useSeededRegistry();
  let debian: StaticServer;
  let indices: StaticServer;
  let indicesRoot: string;
  let mirrors: string[];

  before(async function () {
    this.timeout(300_000);
    const mirror = debianMirrorFromAptLists();
    await pushBaseImages(seeded.registry.url, mirror.codename);
    debian = await serveFolder(mirror.root);
    indicesRoot = writePackageIndices();
    indices = await serveFolder(indicesRoot);
    mirrors = [
      `debian=${debian.url}/debian`,
      `debian-security=${debian.url}/debian-security`,
      `ubuntu=${indices.url}/ubuntu`,
      `ubuntu-security=${indices.url}/ubuntu-security`,
      `alpine=${indices.url}/alpine`,
      `pypi=${indices.url}/pypi/simple`,
      `npm=${indices.url}/npm`,
      `rubygems=${indices.url}/rubygems`,
    ].flatMap((m) => ['--mirror', m]);
  });
  after(async () => {
    await debian?.close();
    await indices?.close();
    if (indicesRoot) fs.rmSync(indicesRoot, { recursive: true, force: true });
  });

  it('pins images and packages from the release each base image is built on; layout kept; idempotent', async () => {
    const host = seeded.registry.host;
    const apt = aptCandidates(['curl', 'ca-certificates', 'vim']);
    const dockerfile = [
      `ARG PY=${host}/library/python:3.12-slim`,
      'FROM ${PY} AS base',
      'RUN apt-get update \\',
      ' && apt-get install -y --no-install-recommends \\',
      '      curl \\',
      '      "ca-certificates" \\',
      ' && rm -rf /var/lib/apt/lists/*',
      'RUN pip install --no-cache-dir requests "flask[async]"',
      'FROM base AS tools',
      'RUN apt-get install -y vim',
      `FROM ${host}/acme/ubuntu-app:1.0`,
      'RUN ["apt-get", "install", "-y", "jq", "curl"]',
      `FROM ${host}/library/php:8.3-fpm-alpine`,
      'RUN <<EOF',
      'apk add --no-cache curl jq',
      'npm install -g typescript @types/node',
      'EOF',
      'ONBUILD RUN gem install rails puma',
      '',
    ].join('\n');
    const root = tempTree({ Dockerfile: dockerfile });
    const first = await cli(['pin', '--packages', ...mirrors, '.'], root);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    const pinnedPython = `${host}/library/python:3.12-slim@`;
    const expected = dockerfile
      .replace(`      curl \\`, `      curl=${apt.get('curl')} \\`)
      .replace(`"ca-certificates"`, `"ca-certificates=${apt.get('ca-certificates')}"`)
      .replace('requests "flask[async]"', 'requests==2.32.3 "flask[async]==3.0.3"')
      .replace('install -y vim', `install -y vim=${apt.get('vim')}`)
      .replace('"jq", "curl"', '"jq=1.7.1-3build1", "curl=8.5.0-2ubuntu10.6"')
      .replace('apk add --no-cache curl jq', 'apk add --no-cache curl~8.9.1 jq~1.7.1')
      .replace('typescript @types/node', 'typescript@5.6.3 @types/node@22.7.5')
      .replace('gem install rails puma', 'gem install rails:7.2.1 puma:6.4.3');
    const written = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    // Image references are pinned in the same run (digests checked by the image pin tests).
    assert.equal(written.replace(/@sha256:[0-9a-f]{64}/g, ''), expected.replace(/:(1\.0|8\.3-fpm-alpine)$/gm, ':$1'));
    assert.ok(written.includes(pinnedPython), written);
    assert.match(first.stdout, /Dockerfile:5: curl → curl=\S+ \(\S+ on 127\.0\.0\.1:\d+\)/);
    assert.match(
      first.stdout,
      /Dockerfile:8: requests → requests==2\.32\.3 \(127\.0\.0\.1:\d+, for Python 3\.12 of \S+\/python:3\.12-slim\)\n/,
    );
    assert.match(
      first.stdout,
      /note: Debian \w+ was read from today's .*python:3\.12-slim \(linux\/amd64\); its tag moves/,
    );
    assert.match(first.stdout, /pinned 3 references and 13 packages in 1 file\n/);
    const second = await cli(['pin', '--packages', ...mirrors, '.'], root);
    assert.equal(second.code, 0, second.stdout);
    assert.match(second.stdout, /pinned 0 references and 0 packages in 0 files/);
    assert.equal(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8'), written);
  });

  it('leaves what it cannot resolve, says why, and exits 1; other platforms read their own release', async () => {
    const host = seeded.registry.host;
    const dockerfile = [
      `FROM --platform=linux/arm64 ${host}/library/python:3.12-slim@PY`,
      'RUN apt-get install -y curl',
      'RUN pip install --index-url https://user:secret@pypi.corp.example/simple internal-lib',
      `FROM ${host}/acme/distroless:1@DISTROLESS`,
      'RUN apt-get install -y curl',
      `FROM ${host}/library/debian:bookworm@sha256:${'b'.repeat(64)}`,
      'RUN echo "deb http://deb.debian.org/debian bookworm-backports main" > /etc/apt/sources.list.d/backports.list \\',
      ' && apt-get update && apt-get install -y curl',
      'RUN apt-get install -y -t bookworm-backports git && dnf install -y make && apk add curl',
      '',
    ].join('\n');
    const index = await fetchDigest(seeded.registry.url, 'library/python', '3.12-slim');
    const distroless = await fetchDigest(seeded.registry.url, 'acme/distroless', '1');
    const root = tempTree({
      Dockerfile: dockerfile.replace('@PY', `@${index}`).replace('@DISTROLESS', `@${distroless}`),
    });
    const run = await cli(['pin', '--packages', '--dry-run', ...mirrors, '.'], root);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const lines = run.stdout.split('\n');
    const reason = (line: number, name: string) =>
      lines.find((l) => l.startsWith(`Dockerfile:${line}: ${name}: not pinned: `)) ?? '';
    assert.match(reason(2, 'curl'), /Debian trixie is not on 127\.0\.0\.1/);
    assert.match(
      reason(3, 'internal-lib'),
      /uses https:\/\/pypi\.corp\.example\/simple, named in the file; DriftGuard reads only indexes you configure/,
    );
    assert.ok(!run.stdout.includes('secret'), 'credentials in a URL are not printed');
    assert.match(reason(5, 'curl'), /not built on Debian, Ubuntu or Alpine/);
    assert.match(
      reason(8, 'curl'),
      /adds apt sources or preferences \(> \/etc\/apt\/sources\.list\.d\/backports\.list, line 7\)/,
    );
    assert.match(reason(9, 'git'), /target release/);
    assert.match(reason(9, 'make'), /dnf packages are not pinned automatically yet/);
    assert.match(reason(9, 'curl'), /apk on Debian bookworm/);
    assert.match(run.stdout, /would pin 0 references and 0 packages in 0 files, 7 not pinned \(reasons above\)/);
  });

  it("pip pins honour Requires-Python for the build's Python: the command's, the image's, the release's", async () => {
    const { codename } = debianMirrorFromAptLists();
    const digest = `@sha256:${'c'.repeat(64)}`;
    const python3 = aptCandidates(['python3']).get('python3')!;
    const releasePython = /^(?:\d+:)?(\d+\.\d+(?:\.\d+)?)/.exec(python3)![1]!;
    const dockerfile = [
      `FROM python:3.9-slim-${codename}${digest}`,
      'RUN pip install numpy',
      'RUN python3.8 -m pip install numpy',
      `FROM debian:${codename}${digest}`,
      'RUN pip install --break-system-packages numpy',
      '',
    ].join('\n');
    const root = tempTree({ Dockerfile: dockerfile });
    const run = await cli(['pin', '--packages', '--dry-run', ...mirrors, '.'], root);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(
      run.stdout,
      new RegExp(
        'Dockerfile:2: numpy → numpy==2\\.0\\.2 \\(127\\.0\\.0\\.1:\\d+, ' +
          'for Python 3\\.9 of python:3\\.9-slim-\\w+@sha256:c+; ' +
          'numpy 2\\.1\\.3 and newer need Python >=3\\.10\\)',
      ),
    );
    assert.match(
      run.stdout,
      /Dockerfile:3: numpy → numpy==1\.24\.4 \(127\.0\.0\.1:\d+, for Python 3\.8 of python3\.8;/,
    );
    // The release's own python3, read from the same (real) Debian indices apt-get would use.
    const expected =
      Number(releasePython.split('.')[1]) >= 10
        ? '2.1.3'
        : Number(releasePython.split('.')[1]) === 9
          ? '2.0.2'
          : '1.24.4';
    assert.ok(
      run.stdout.includes(`Dockerfile:5: numpy → numpy==${expected} (`) &&
        run.stdout.includes(`for Python ${releasePython} of python3 of ${codename}`),
      run.stdout,
    );
  });

  it('scripts a Dockerfile runs at build are pinned for the stage that runs them', async () => {
    const { codename } = debianMirrorFromAptLists();
    const curl = aptCandidates(['curl']).get('curl')!;
    const digest = `@sha256:${'d'.repeat(64)}`;
    const install = [
      '#!/bin/sh',
      'set -e',
      'apt-get install -y curl',
      'pip install numpy',
      'npm install -g typescript',
      '',
    ];
    const root = tempTree({
      // One Dockerfile runs it: its stage decides the release and the Python.
      'app/Dockerfile': [
        `FROM python:3.9-slim-${codename}${digest}`,
        'COPY scripts/install.sh /tmp/',
        'RUN /tmp/install.sh',
        '',
      ].join('\n'),
      'app/scripts/install.sh': install.join('\n'),
      // Two Dockerfiles on different bases run the same script: its OS packages are left.
      'shared/Dockerfile': [`FROM debian:${codename}${digest}`, 'COPY setup.sh /', 'RUN sh /setup.sh', ''].join('\n'),
      'shared/Dockerfile.alpine': [`FROM alpine:3.20${digest}`, 'COPY setup.sh /', 'RUN sh /setup.sh', ''].join('\n'),
      'shared/setup.sh': 'apt-get install -y curl\nnpm install -g typescript\n',
      // An apt source added before the script runs: apt versions may come from it.
      'sources/Dockerfile': [
        `FROM debian:${codename}${digest}`,
        'COPY extra.list /etc/apt/sources.list.d/',
        'COPY setup.sh /usr/local/bin/',
        'RUN setup.sh',
        '',
      ].join('\n'),
      'sources/extra.list': 'deb https://apt.example/ stable main\n',
      'sources/setup.sh': 'apt-get install -y curl\n',
    });
    const run = await cli(['pin', '--packages', ...mirrors, '.'], root);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.equal(
      fs.readFileSync(path.join(root, 'app/scripts/install.sh'), 'utf8'),
      install
        .join('\n')
        .replace('install -y curl', `install -y curl=${curl}`)
        .replace('numpy', 'numpy==2.0.2')
        .replace('typescript', 'typescript@5.6.3'),
    );
    assert.match(
      run.stdout,
      /app\/scripts\/install\.sh:4: numpy → numpy==2\.0\.2 \(127\.0\.0\.1:\d+, for Python 3\.9 of /,
    );
    assert.equal(
      fs.readFileSync(path.join(root, 'shared/setup.sh'), 'utf8'),
      'apt-get install -y curl\nnpm install -g typescript@5.6.3\n',
    );
    assert.match(
      run.stdout,
      new RegExp(
        'shared/setup\\.sh:1: curl: not pinned: builds on different base images run this script ' +
          `\\(debian:${codename}@sha256:d+ at shared/Dockerfile:3, ` +
          'alpine:3\\.20@sha256:d+ at shared/Dockerfile\\.alpine:3\\)',
      ),
    );
    assert.equal(fs.readFileSync(path.join(root, 'sources/setup.sh'), 'utf8'), 'apt-get install -y curl\n');
    assert.match(
      run.stdout,
      new RegExp(
        'sources/setup\\.sh:1: curl: not pinned: the build adds apt sources or preferences ' +
          '\\(COPY into /etc/apt/sources\\.list\\.d/? in sources/Dockerfile, line 2\\)',
      ),
    );
    assert.match(run.stdout, /pinned 0 references and 4 packages in 2 files, 2 not pinned/);
  });

  it('--mirror is checked like any option', async () => {
    const root = tempTree({ Dockerfile: 'FROM debian:bookworm\n' });
    const bad = await cli(['pin', '--packages', '--mirror', 'fedora=https://x', '.'], root);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--mirror takes KEY=URL with KEY one of debian, debian-security/);
    const scan = await cli(['--packages', '.'], root);
    assert.equal(scan.code, 2);
  });
});

async function fetchDigest(base: string, repo: string, tag: string): Promise<string> {
  const res = await fetch(`${base}/v2/${repo}/manifests/${tag}`, {
    method: 'HEAD',
    headers: {
      Accept:
        'application/vnd.docker.distribution.manifest.list.v2+json, ' +
        'application/vnd.docker.distribution.manifest.v2+json',
    },
  });
  return res.headers.get('docker-content-digest')!;
}
