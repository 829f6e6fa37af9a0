import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { testEngine } from '../helpers/engine';
import { scan, ScanOptions, ScanOutcome } from '../../server/src/cli/scan';
import { collectScripts } from '../../server/src/workspace/buildScriptIndex';
import { corpusRoot } from '../fuzz/corpus';
import { REPO_ROOT } from '../helpers/repo';
import { tempTree } from '../helpers/tempTree';
import { SCAN_PROJECT as PROJECT } from '../helpers/scanProject';

function ruleIds(outcome: ScanOutcome, root: string): Record<string, string[]> {
  return Object.fromEntries(
    outcome.files.map((f) => [
      path.relative(root, f.path).split(path.sep).join('/'),
      f.skipped ? [`skipped: ${f.skipped}`] : f.problems.map((p) => p.ruleId),
    ]),
  );
}

describe('CLI scan on worker threads', function () {
  this.timeout(120000);
  const scanWith = (root: string, extra: Partial<ScanOptions>) => scan(testEngine(), { paths: [root], ...extra });

  it('a generated project: the same outcome on 1, 2 and 3 threads (shared queue)', async () => {
    const root = tempTree(PROJECT);
    const sequential = await scanWith(root, { threads: 1 });
    assert.deepEqual(ruleIds(sequential, root), {
      'app/docker-entrypoint.sh': ['live-package-change'],
      'app/Dockerfile': [],
      'app/scripts/setup.sh': ['package-unpinned'],
      'bin/Dockerfile': ['skipped: binary file (contains NUL bytes)'],
      'ci/build.sh': ['package-unpinned'],
      'deploy/compose.yaml': ['image-latest-tag', 'compose-pull-always-mutable'],
      'images/scripts/install-tools.sh': ['package-unpinned'],
      'ops/patch.sh': ['live-package-change'],
      'web/Dockerfile': ['image-untagged', 'image-latest-tag'],
    });
    assert.equal(sequential.configProblems.length, 1);
    for (const threads of [2, 3])
      assert.deepStrictEqual(await scanWith(root, { threads }), sequential, `${threads} threads`);
  });

  it('build-script context crosses threads: Dockerfile on one thread, its scripts on others', async () => {
    const root = tempTree(PROJECT);
    const sequential = await scanWith(root, { threads: 1 });
    const placements: Array<Record<string, number>> = [
      // Dockerfile on a worker; the RUN script on the main thread, the ENTRYPOINT script on the other worker.
      {
        'app/Dockerfile': 1,
        'app/scripts/setup.sh': 0,
        'app/docker-entrypoint.sh': 2,
        'web/Dockerfile': 2,
        'ci/build.sh': 1,
      },
      // Dockerfile on the main thread; both scripts on workers (different ones).
      {
        'app/Dockerfile': 0,
        'app/scripts/setup.sh': 1,
        'app/docker-entrypoint.sh': 2,
        'images/scripts/install-tools.sh': 2,
      },
      // Everything on workers only.
      {
        'app/Dockerfile': 2,
        'app/scripts/setup.sh': 1,
        'app/docker-entrypoint.sh': 1,
        'web/Dockerfile': 1,
        'deploy/compose.yaml': 2,
        'ops/patch.sh': 2,
        'ci/build.sh': 2,
        'images/scripts/install-tools.sh': 1,
      },
    ];
    for (const placement of placements) {
      const threadFor = (filePath: string) => placement[path.relative(root, filePath).split(path.sep).join('/')] ?? 1;
      const outcome = await scanWith(root, { threads: 3, threadFor });
      assert.deepStrictEqual(outcome, sequential, JSON.stringify(placement));
      const entrypoint = outcome.files.find((f) => f.path.endsWith('docker-entrypoint.sh'))!;
      assert.match(entrypoint.problems[0]!.message, /at every start/);
    }
  });

  it('--config and a bad config: the same config problems and settings on every thread', async () => {
    const root = tempTree({ ...PROJECT, 'other.yaml': 'extends: strict\nrules:\n  bogus-rule: off\n' });
    const options = { configPath: path.join(root, 'other.yaml') };
    const sequential = await scanWith(root, { ...options, threads: 1 });
    assert.deepEqual(
      sequential.configProblems.map((p) => path.basename(p.path)),
      ['other.yaml'],
    );
    assert.deepStrictEqual(await scanWith(root, { ...options, threads: 2, threadFor: (p) => p.length }), sequential);
    assert.deepStrictEqual(await scanWith(root, { ...options, threads: 2 }), sequential);
  });

  it('a corpus slice: the same outcome on 1 thread, 2 threads and files spread over 3 threads', async () => {
    const corpus = corpusRoot();
    // Dockerfiles with RUN and ENTRYPOINT scripts, Packer templates, dev container images.
    const slice = [
      'actions__runner-images',
      'docker-library__php',
      'GoogleCloudPlatform__cloud-builders-community',
      'microsoft__vscode-dev-containers',
    ]
      .map((repo) => path.join(corpus, repo))
      .filter((dir) => fs.existsSync(dir));
    assert.ok(slice.length > 0, 'corpus slice not found');
    const sequential = await scan(testEngine(), { paths: slice, threads: 1 });
    assert.ok(sequential.files.length > 200, `${sequential.files.length} files`);
    // The slice has scripts that Dockerfiles and templates run at build, and ENTRYPOINT scripts.
    const dockerfiles = sequential.files
      .filter((f) => f.kind === 'dockerfile' && !f.skipped)
      .map((f) => ({ path: f.path, kind: f.kind, text: fs.readFileSync(f.path, 'utf8') }));
    const index = collectScripts(testEngine(), dockerfiles);
    const scripts = sequential.files.filter((f) => f.kind === 'shell').map((f) => f.path);
    assert.ok(scripts.filter((p) => index.build.has(p)).length >= 3, 'build scripts in the slice');
    assert.ok(scripts.filter((p) => index.entrypoint.has(p)).length >= 3, 'ENTRYPOINT scripts in the slice');
    assert.deepStrictEqual(await scan(testEngine(), { paths: slice, threads: 2 }), sequential);
    let n = 0;
    assert.deepStrictEqual(
      await scan(testEngine(), { paths: slice, threads: 3, threadFor: () => n++ % 3 }),
      sequential,
    );
  });

  it('the CLI (compiled and bundled) prints the same report with DRIFTGUARD_SCAN_THREADS=1 and =2', () => {
    const root = tempTree(PROJECT);
    for (const cli of [path.join(REPO_ROOT, 'out/server/src/cli/main.js'), path.join(REPO_ROOT, 'dist/cli.js')]) {
      const run = (threads: string) =>
        spawnSync(process.execPath, [cli, '--format', 'json', '.'], {
          cwd: root,
          encoding: 'utf8',
          env: { ...process.env, DRIFTGUARD_SCAN_THREADS: threads },
        });
      const one = run('1');
      const two = run('2');
      assert.equal(one.status, 2, one.stderr);
      assert.deepEqual([two.status, two.stdout, two.stderr], [one.status, one.stdout, one.stderr], cli);
      assert.equal(JSON.parse(two.stdout).files.length, 9);
    }
  });
});
