import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { PinnedChunks, SharedChunks } from '../../server/src/cli/chunks';
import type { LintTask, TaskResult } from '../../server/src/cli/lintTask';
import { LintPool } from '../../server/src/cli/parallel';
import { FromWorker, SCAN_WORKER_ROLE, ToWorker } from '../../server/src/cli/protocol';
import { addScriptUse, emptyScriptIndex } from '../../server/src/workspace/buildScriptIndex';
import { REPO_ROOT } from '../helpers/repo';

const TASKS: LintTask[] = Array.from({ length: 40 }, (_, i) => ({
  path: `/virtual/${i}/Dockerfile`,
  kind: 'dockerfile',
  text: `FROM scratch\n# ${i}\n`,
}));
const here = (task: LintTask): TaskResult => ({ problems: [], internalErrors: [`main:${task.path}`] });

/** A stand-in worker script (CommonJS) written to a temp file. */
function fakeWorker(body: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-worker-')), 'worker.js');
  fs.writeFileSync(file, `const { parentPort } = require('node:worker_threads');\n${body}\n`);
  return file;
}

async function withPool<T>(pool: LintPool, run: (pool: LintPool) => Promise<T>): Promise<T> {
  try {
    return await run(pool);
  } finally {
    await pool.close();
  }
}

describe('LintPool: failing workers never lose or hang a scan', function () {
  this.timeout(60000);

  // [what the worker does, its script, whether tasks may be pinned to it (a worker that never starts holds pinned tasks
  // forever)]
  const cases: Array<[string, string, boolean?]> = [
    ['throws while loading', `throw new Error('boom');`],
    [
      'exits on its first chunk',
      `parentPort.postMessage({ type: 'ready' });\n` +
        `parentPort.on('message', (m) => { if (m.type === 'lint') process.exit(3); });`,
    ],
    [
      'fails every chunk',
      `parentPort.postMessage({ type: 'ready' });\n` +
        `parentPort.on('message', (m) => { if (m.type === 'lint') parentPort.postMessage({ type: 'failed', id: ` +
        `m.id, error: 'no' }); });`,
    ],
    [
      'answers with the wrong number of results',
      `parentPort.postMessage({ type: 'ready' });\n` +
        `parentPort.on('message', (m) => { if (m.type === 'lint') parentPort.postMessage({ type: 'done', id: m.id, ` +
        `results: [] }); });`,
    ],
    ['never becomes ready', `setInterval(() => {}, 1000);`, false],
  ];
  for (const [what, body, pinnable = true] of cases) {
    it(`a worker that ${what}: the main thread lints its share`, async () => {
      const file = fakeWorker(body);
      await withPool(new LintPool(2, {}, file), async (pool) => {
        const sources = [
          new SharedChunks(
            TASKS.map(() => 1000),
            3,
          ),
          ...(pinnable
            ? [
                new PinnedChunks(
                  TASKS.map((_, i) => i % 3),
                  3,
                ),
              ]
            : []),
        ];
        for (const source of sources) {
          const results = await pool.run(TASKS, { wantScripts: false }, source, here);
          assert.deepEqual(results, TASKS.map(here));
        }
      });
    });
  }

  it('a worker that dies mid-scan: chunks it held come back, others keep theirs', async () => {
    const file = fakeWorker(
      `let n = 0;\nparentPort.postMessage({ type: 'ready' });\nparentPort.on('message', (m) => {\n` +
        `  if (m.type !== 'lint') return;\n  if (++n === 3) process.exit(1);\n` +
        `  parentPort.postMessage({ type: 'done', id: m.id, results: m.tasks.map((t) => ({ problems: [], ` +
        `internalErrors: ['main:' + t.path] })) });\n});`,
    );
    await withPool(new LintPool(1, {}, file), async (pool) => {
      const results = await pool.run(
        TASKS,
        { wantScripts: false },
        new PinnedChunks(
          TASKS.map(() => 1),
          2,
        ),
        here,
      );
      assert.deepEqual(results, TASKS.map(here));
      // The next phase, with the worker gone, runs on the main thread alone.
      assert.deepEqual(
        await pool.run(
          TASKS,
          { wantScripts: false },
          new PinnedChunks(
            TASKS.map(() => 1),
            2,
          ),
          here,
        ),
        TASKS.map(here),
      );
    });
  });

  it('an error on the main thread rejects the run and close() ends the workers', async () => {
    const file = fakeWorker(`parentPort.postMessage({ type: 'ready' });\nparentPort.on('message', () => {});`);
    const pool = new LintPool(1, {}, file);
    await assert.rejects(
      pool.run(
        TASKS,
        { wantScripts: false },
        new SharedChunks(
          TASKS.map(() => 1000),
          2,
        ),
        () => {
          throw new Error('lint bug');
        },
      ),
      /lint bug/,
    );
    await pool.close();
  });
});

describe('scan worker (real)', function () {
  this.timeout(60000);

  const dir = path.join(os.tmpdir(), 'driftguard-pool', 'app');
  const dockerfile: LintTask = {
    path: path.join(dir, 'Dockerfile'),
    kind: 'dockerfile',
    text:
      'FROM debian:12\nCOPY scripts/ ./scripts/\nRUN ./scripts/setup.sh\nCOPY entry.sh /entry.sh\n' +
      'ENTRYPOINT ["/entry.sh"]\n',
  };
  const setup: LintTask = {
    path: path.join(dir, 'scripts/setup.sh'),
    kind: 'shell',
    text: '#!/bin/sh\napt-get install -y curl\n',
  };
  const entry: LintTask = {
    path: path.join(dir, 'entry.sh'),
    kind: 'shell',
    text: '#!/bin/sh\napt-get install -y curl\n',
  };
  const mainThreadMustNotLint = (task: LintTask): TaskResult => {
    throw new Error(`${task.path} fell back to the main thread`);
  };

  it('lints on workers only: script uses come back as data, the index goes with the next phase', async () => {
    await withPool(new LintPool(2), async (pool) => {
      const [docker] = await pool.run(
        [dockerfile],
        { wantScripts: true },
        new PinnedChunks([1], 3),
        mainThreadMustNotLint,
      );
      assert.deepEqual(docker!.scripts, {
        build: ['scripts/setup.sh'],
        entrypoint: ['entry.sh'],
        startup: [],
        image: ['entry.sh', 'scripts'],
        builder: [],
      });
      const buildScripts = emptyScriptIndex();
      addScriptUse(buildScripts, dockerfile.path, docker!.scripts);
      const [setupResult, entryResult] = await pool.run(
        [setup, entry],
        { buildScripts, wantScripts: false },
        new PinnedChunks([2, 1], 3),
        mainThreadMustNotLint,
      );
      assert.deepEqual(
        setupResult!.problems.map((p) => p.ruleId),
        ['package-unpinned'],
      );
      assert.deepEqual(
        entryResult!.problems.map((p) => p.ruleId),
        ['live-package-change'],
      );
      assert.match(entryResult!.problems[0]!.message, /at every start/);
    });
  });

  // The language server's Scan Workspace starts its workers from its own bundle.
  for (const [bundle, host] of [
    ['dist/cli.js', 'the CLI'],
    ['dist/server.js', 'a language server'],
  ] as const)
    it(`the bundle (${bundle}) serves as a scan worker and does not run ${host} in the worker`, async () => {
      const worker = new Worker(path.join(REPO_ROOT, bundle), {
        workerData: { role: SCAN_WORKER_ROLE },
        stdout: true,
        stderr: true,
      });
      let output = '';
      worker.stdout.on('data', (d) => {
        output += String(d);
      });
      worker.stderr.on('data', (d) => {
        output += String(d);
      });
      try {
        const replies: FromWorker[] = [];
        await new Promise<void>((resolve, reject) => {
          worker.on('error', reject);
          worker.on('message', (m: FromWorker) => {
            replies.push(m);
            if (m.type === 'ready') {
              const messages: ToWorker[] = [
                { type: 'phase', phase: { wantScripts: true } },
                { type: 'lint', id: 7, tasks: [dockerfile] },
              ];
              messages.forEach((message) => worker.postMessage(message));
            } else {
              resolve();
            }
          });
        });
        assert.equal(replies[1]!.type, 'done');
        const done = replies[1] as Extract<FromWorker, { type: 'done' }>;
        assert.equal(done.id, 7);
        assert.deepEqual(done.results[0]!.scripts, {
          build: ['scripts/setup.sh'],
          entrypoint: ['entry.sh'],
          startup: [],
          image: ['entry.sh', 'scripts'],
          builder: [],
        });
        assert.deepEqual(
          done.results[0]!.problems.map((p) => p.ruleId),
          ['image-unpinned-digest'],
        );
        assert.equal(output, '');
      } finally {
        await worker.terminate();
      }
    });
});
