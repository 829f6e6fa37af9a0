#!/usr/bin/env node
'use strict';
/**
 * `node test/bench/packagePins.js`: the time to pin a 20-package Dockerfile (14 apt packages from this
 * machine's real Debian indices, 2 each from pip, npm and gem) against loopback mirrors.
 *
 *   node test/bench/packagePins.js [--runs N]
 *
 * - CLI: `driftguard pin --packages --dry-run` in a fresh process each run, so every run is cold
 *   (the index cache lives for one process): download, check against Release, decompress, parse.
 * - In process (the editor's language server): the first resolution cold, then the same plan again
 *   warm, from the session cache.
 * Needs `npm run build` (dist/ and out/) and a Debian machine (the mirror is laid out from
 * /var/lib/apt/lists; `apt-get update` runs first when the lists are missing).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

const ROOT = path.resolve(__dirname, '../..');
const OUT = path.join(ROOT, 'out');
const CLI = path.join(ROOT, 'dist/cli.js');

const APT = ['curl', 'git', 'openssl', 'ca-certificates', 'vim', 'python3', 'perl'].concat([
  'bash',
  'tzdata',
  'wget',
  'gnupg',
  'unzip',
  'jq',
  'less',
]);

function dockerfile() {
  return [
    // Pinned by digest, so only the packages are looked up (no registry is asked about the image).
    `FROM debian:bookworm-slim@sha256:${'0'.repeat(64)}`,
    'RUN apt-get update && apt-get install -y --no-install-recommends \\',
    APT.map((p) => `  ${p}`).join(' \\\n'),
    'RUN pip install requests flask',
    'RUN npm install -g typescript @types/node',
    'RUN gem install rails puma',
    '',
  ].join('\n');
}

/** The CLI in a child process; asynchronous, since the loopback mirrors are served by this one. */
function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH } });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout }));
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = (xs) => `median ${median(xs)} ms (min ${Math.min(...xs)}, max ${Math.max(...xs)}, n=${xs.length})`;

async function main() {
  const runsAt = process.argv.indexOf('--runs');
  const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 3;
  const { debianMirrorFromAptLists } = require(path.join(OUT, 'test/helpers/debianMirror'));
  const { serveFolder } = require(path.join(OUT, 'test/helpers/staticServer'));
  const { writePackageIndices } = require(path.join(OUT, 'test/helpers/packageIndices'));
  const mirror = debianMirrorFromAptLists();
  if (mirror.codename !== 'bookworm') console.log(`note: this machine is ${mirror.codename}; the FROM names bookworm`);
  const deb = await serveFolder(mirror.root);
  const idx = await serveFolder(writePackageIndices());
  const mirrors = {
    debian: `${deb.url}/debian`,
    'debian-security': `${deb.url}/debian-security`,
    pypi: `${idx.url}/pypi/simple`,
    npm: `${idx.url}/npm`,
    rubygems: `${idx.url}/rubygems`,
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-bench-packages-'));
  const text = dockerfile().replace('bookworm', mirror.codename);
  fs.writeFileSync(path.join(dir, 'Dockerfile'), text);
  try {
    const args = [
      'pin',
      '--packages',
      '--dry-run',
      ...Object.entries(mirrors).flatMap(([k, v]) => ['--mirror', `${k}=${v}`]),
    ];
    const cli = [];
    let last;
    for (let i = 0; i < runs; i++) {
      const start = process.hrtime.bigint();
      last = await run([...args, dir]);
      cli.push(Number((process.hrtime.bigint() - start) / 1_000_000n));
    }
    console.log(last.stdout.trim().split('\n').slice(-2).join('\n'));
    console.log(`CLI, fresh process (cold): ${summary(cli)}`);

    const { Fetcher } = require(path.join(OUT, 'server/src/packages/fetcher'));
    const { mirrorsFrom } = require(path.join(OUT, 'server/src/packages/mirrors'));
    const { PackageVersions } = require(path.join(OUT, 'server/src/packages/versions'));
    const { PackagePinner } = require(path.join(OUT, 'server/src/pin/packagePins'));
    const { planPackagePins } = require(path.join(OUT, 'server/src/pin/packagePlan'));
    const { createEngine } = require(path.join(OUT, 'server/src/createEngine'));
    const engine = await createEngine();
    const input = {
      uri: 'file:///bench/Dockerfile',
      text,
      kind: 'dockerfile',
      settings: { severities: { 'package-unpinned': 'info' }, imagesAllow: [] },
    };
    const cold = [];
    const warm = [];
    for (let i = 0; i < runs; i++) {
      const fetcher = new Fetcher();
      const pinner = new PackagePinner(new PackageVersions(fetcher, mirrorsFrom(mirrors)), undefined);
      let start = process.hrtime.bigint();
      const plan = await planPackagePins(engine, input, pinner);
      cold.push(Number((process.hrtime.bigint() - start) / 1_000_000n));
      start = process.hrtime.bigint();
      await planPackagePins(engine, input, pinner);
      warm.push(Number((process.hrtime.bigint() - start) / 1_000_000n));
      fetcher.close();
      if (i === 0) console.log(`in process: ${plan.pinned.length} pinned, ${plan.failed.length} left`);
    }
    console.log(`in process, first resolution (cold): ${summary(cold)}`);
    console.log(`in process, same plan again (warm): ${summary(warm)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await deb.close();
    await idx.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
