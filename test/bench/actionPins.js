#!/usr/bin/env node
'use strict';
/**
 * `node test/bench/actionPins.js`: the time and the requests to pin a workflow with 20 actions against
 * a real git smart-HTTP server on loopback (git's own `http-backend`, protocol v2).
 *
 *   node test/bench/actionPins.js [--runs N]
 *
 * Two workflows of 20 `uses:` each: one naming 20 repositories (every action its own, the worst
 * case), one naming 8 repositories (as real workflows do: checkout, setup-*, cache and its
 * sub-actions, several refs of one repository). Each is pinned by `driftguard pin --dry-run` in a fresh
 * process per run, so every run is cold. Needs `npm run build` (dist/ and out/) and git.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

const ROOT = path.resolve(__dirname, '../..');
const OUT = path.join(ROOT, 'out');
const CLI = path.join(ROOT, 'dist/cli.js');

/** The CLI in a child process; asynchronous, since the git server is served by this one. */
function run(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, ...env } });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout }));
  });
}

const REFS = ['v1', 'v2', 'v1.1.0', 'main', 'release/v2'];

function workflow(uses) {
  return [
    'name: ci',
    'on: push',
    'jobs:',
    '  build:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    ...uses.map((u) => `      - uses: ${u}`),
    '',
  ].join('\n');
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = (xs) => `median ${median(xs)} ms (min ${Math.min(...xs)}, max ${Math.max(...xs)}, n=${xs.length})`;

async function main() {
  const runsAt = process.argv.indexOf('--runs');
  const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 3;
  const { makeActionRepo } = require(path.join(OUT, 'test/helpers/actionRepos'));
  const { startGitServer } = require(path.join(OUT, 'test/helpers/gitServer'));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-bench-git-'));
  for (let i = 0; i < 20; i++) makeActionRepo(root, `acme/action-${i}`);
  const server = await startGitServer(root);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-bench-actions-'));
  const cases = {
    '20 actions, 20 repositories': Array.from({ length: 20 }, (_, i) => `acme/action-${i}@${REFS[i % REFS.length]}`),
    '20 actions, 8 repositories': Array.from(
      { length: 20 },
      (_, i) => `acme/action-${i % 8}${i >= 16 ? '/sub' : ''}@${REFS[i % REFS.length]}`,
    ),
  };
  try {
    for (const [name, uses] of Object.entries(cases)) {
      const folder = path.join(dir, name.replace(/\W+/g, '-'), '.github', 'workflows');
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(path.join(folder, 'ci.yml'), workflow(uses));
      const times = [];
      let last;
      let requests = 0;
      for (let i = 0; i < runs; i++) {
        server.requests.length = 0;
        const start = process.hrtime.bigint();
        last = await run(['pin', '--dry-run', folder], { GITHUB_SERVER_URL: server.url });
        times.push(Number((process.hrtime.bigint() - start) / 1_000_000n));
        requests = server.requests.length;
      }
      console.log(`${name}: ${last.stdout.trim().split('\n').slice(-1)[0]}`);
      console.log(`  requests to the git server per run: ${requests}`);
      console.log(`  CLI, fresh process (cold): ${summary(times)}`);
    }
  } finally {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
