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
import { BUILDS_PROJECT } from '../helpers/scanProject';
import { tempTree } from '../helpers/tempTree';
import { createEngine } from '../../server/src/createEngine';
import { DiscoveredFile, discoverFiles } from '../../server/src/workspace/discover';
import { visitWorkspace } from '../../server/src/workspace/workspaceVisit';

const TASKS: LintTask[] = Array.from({ length: 40 }, (_, i) => ({
  path: `/virtual/${i}/Dockerfile`,
  kind: 'dockerfile',
  text: `FROM scratch\n# ${i}\n`,
}));
/** TASKS in one shared queue for `threads` threads, each task of the same cost. */
const sharedChunks = (threads: number) =>
  new SharedChunks(
    TASKS.map(() => 1000),
    threads,
  );
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

/** Workers that fail in ways the pool must survive: what each does, and its script. */
const FAILING_WORKERS: Array<[string, string]> = [
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
];
const NEVER_READY = `setInterval(() => {}, 1000);`;

describe('LintPool: failing workers never lose or hang a scan', function () {
  this.timeout(60000);

  // [what the worker does, its script, whether tasks may be pinned to it (a worker that never starts holds pinned tasks
  // forever)]
  const cases: Array<[string, string, boolean?]> = [...FAILING_WORKERS, ['never becomes ready', NEVER_READY, false]];
  for (const [what, body, pinnable = true] of cases) {
    it(`a worker that ${what}: the main thread lints its share`, async () => {
      const file = fakeWorker(body);
      await withPool(new LintPool(2, {}, file), async (pool) => {
        const sources = [
          sharedChunks(3),
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
      pool.run(TASKS, { wantScripts: false }, sharedChunks(2), () => {
        throw new Error('lint bug');
      }),
      /lint bug/,
    );
    await pool.close();
  });
});

describe('LintPool on standby: the main thread lints only what workers cannot', function () {
  this.timeout(60000);

  const worker = (task: LintTask): TaskResult => ({ problems: [], internalErrors: [`worker:${task.path}`] });
  const STANDBY = { mainThread: 'standby', readyTimeoutMs: 500 } as const;
  const answering =
    `parentPort.postMessage({ type: 'ready' });\n` +
    `parentPort.on('message', (m) => { if (m.type === 'lint') parentPort.postMessage({ type: 'done', id: m.id, ` +
    `results: m.tasks.map((t) => ({ problems: [], internalErrors: ['worker:' + t.path] })) }); });`;

  it('a worker that lints: every task is linted there, none on the main thread', async () => {
    await withPool(new LintPool(1, {}, fakeWorker(answering), STANDBY), async (pool) => {
      const source = sharedChunks(2);
      const mainThread = (task: LintTask): TaskResult => {
        throw new Error(`${task.path} linted on the main thread`);
      };
      assert.deepEqual(await pool.run(TASKS, { wantScripts: false }, source, mainThread), TASKS.map(worker));
    });
  });

  it('completes each task on the main thread right before a worker takes it', async () => {
    await withPool(new LintPool(1, {}, fakeWorker(answering), STANDBY), async (pool) => {
      const prepared: string[] = [];
      const prepare = (task: LintTask): LintTask => {
        prepared.push(task.path);
        return { ...task, path: `${task.path}+` };
      };
      // How many tasks were completed when the first result landed: not all of them up front.
      let preparedAtFirstResult: number | undefined;
      const onResult = () => (preparedAtFirstResult ??= prepared.length);
      const results = await pool.run(TASKS, { wantScripts: false }, sharedChunks(2), here, { onResult }, prepare);
      assert.deepEqual(
        results,
        TASKS.map((t) => worker({ ...t, path: `${t.path}+` })),
      );
      assert.deepEqual(
        prepared,
        TASKS.map((t) => t.path),
      );
      assert.ok(preparedAtFirstResult! < TASKS.length, `${preparedAtFirstResult} prepared before the first result`);
    });
  });

  it('an error completing a task or taking a result rejects the run; nothing is thrown elsewhere', async () => {
    await withPool(new LintPool(1, {}, fakeWorker(answering), STANDBY), async (pool) => {
      let calls = 0;
      const prepare = (task: LintTask): LintTask => {
        if (++calls === 20) throw new Error('prepare bug');
        return task;
      };
      await assert.rejects(pool.run(TASKS, { wantScripts: false }, sharedChunks(2), here, {}, prepare), /prepare bug/);
      const onResult = () => {
        throw new Error('onResult bug');
      };
      await assert.rejects(
        pool.run(TASKS, { wantScripts: false }, sharedChunks(2), here, { onResult }),
        /onResult bug/,
      );
      // The pool still serves the next run.
      assert.deepEqual(await pool.run(TASKS, { wantScripts: false }, sharedChunks(2), here), TASKS.map(worker));
    });
  });

  it('a cancelled run resolves while its worker is still busy', async () => {
    const busy = fakeWorker(`parentPort.postMessage({ type: 'ready' });\nparentPort.on('message', () => {});`);
    await withPool(new LintPool(1, {}, busy, STANDBY), async (pool) => {
      const started = Date.now();
      const isCancelled = () => Date.now() - started > 300;
      const source = sharedChunks(2);
      const results = await pool.run(TASKS, { wantScripts: false }, source, here, { isCancelled });
      assert.ok(Date.now() - started < 2000, `resolved after ${Date.now() - started} ms`);
      assert.equal(results.filter((r) => r !== undefined).length, 0);
    });
  });

  it('a worker ready in time is kept though the main thread was busy past the timeout', async () => {
    const pool = new LintPool(1, {}, fakeWorker(answering), { mainThread: 'standby', readyTimeoutMs: 300 });
    await withPool(pool, async () => {
      // The worker loads and says so while this thread is busy: its `ready` waits to be delivered.
      const until = Date.now() + 800;
      while (Date.now() < until);
      const source = sharedChunks(2);
      assert.deepEqual(await pool.run(TASKS, { wantScripts: false }, source, here), TASKS.map(worker));
    });
  });

  it('tasks pinned to the main thread are linted there, the others on the worker', async () => {
    await withPool(new LintPool(1, {}, fakeWorker(answering), STANDBY), async (pool) => {
      const pinned = new PinnedChunks(
        TASKS.map((_, i) => i % 2),
        2,
      );
      const results = await pool.run(TASKS, { wantScripts: false }, pinned, here);
      assert.deepEqual(
        results,
        TASKS.map((t, i) => (i % 2 === 0 ? here(t) : worker(t))),
      );
    });
  });

  const failing: Array<[string, string]> = [
    ...FAILING_WORKERS,
    ['never becomes ready (stopped after readyTimeoutMs)', NEVER_READY],
  ];
  for (const [what, body] of failing)
    it(`a worker that ${what}: the main thread lints everything`, async () => {
      await withPool(new LintPool(1, {}, fakeWorker(body), STANDBY), async (pool) => {
        const source = sharedChunks(2);
        assert.deepEqual(await pool.run(TASKS, { wantScripts: false }, source, here), TASKS.map(here));
      });
    });

  it('a visit goes to a worker; lost or failed, the caller is told to visit itself; a signal cancels it', async () => {
    const request = {
      folders: ['/w'],
      files: [{ path: '/w/Dockerfile', kind: 'dockerfile' as const }],
      otherFiles: [],
    };
    const visiting = fakeWorker(
      `let cancelled = false;\nparentPort.postMessage({ type: 'ready' });\nparentPort.on('message', (m) => {\n` +
        `  if (m.type === 'cancel') cancelled = true;\n` +
        `  if (m.type === 'visit') setTimeout(() => parentPort.postMessage({ type: 'visited', id: m.id, reply: ` +
        `{ facts: cancelled ? undefined : { files: m.request.files.map((f) => f.path) }, ` +
        `skipped: [['/w/x', 'why']] } ` +
        `}), 50);\n});`,
    );
    await withPool(new LintPool(1, {}, visiting, STANDBY), async (pool) => {
      assert.deepEqual(await pool.visit(request), { facts: { files: ['/w/Dockerfile'] }, skipped: [['/w/x', 'why']] });
      const controller = new AbortController();
      const cancelled = pool.visit(request, controller.signal);
      controller.abort();
      assert.deepEqual(await cancelled, { facts: undefined, skipped: [] });
      // The worker was told (this fake one stays cancelled, so its next reply says so).
      assert.deepEqual(await pool.visit(request), { facts: undefined, skipped: [['/w/x', 'why']] });
    });
    // A worker that never loads: a cancelled visit is answered at once, otherwise once it is stopped.
    for (const mainThread of ['lints', 'standby'] as const)
      await withPool(
        new LintPool(1, {}, fakeWorker(NEVER_READY), { mainThread, readyTimeoutMs: 1000 }),
        async (pool) => {
          const controller = new AbortController();
          const started = Date.now();
          const cancelled = pool.visit(request, controller.signal);
          controller.abort();
          assert.deepEqual(await cancelled, { facts: undefined, skipped: [] });
          assert.ok(Date.now() - started < 500, `${mainThread}: answered after ${Date.now() - started} ms`);
          assert.equal(await pool.visit(request), undefined);
        },
      );
    const exiting = fakeWorker(`parentPort.on('message', (m) => { if (m.type === 'visit') process.exit(2); });`);
    await withPool(new LintPool(1, {}, exiting, STANDBY), async (pool) => {
      assert.equal(await pool.visit(request), undefined);
      // No worker left: answered at once.
      assert.equal(await pool.visit(request), undefined);
    });
    const failingVisit = fakeWorker(
      `parentPort.on('message', (m) => { if (m.type === 'visit') parentPort.postMessage({ type: 'failed', id: m.id, ` +
        `error: 'no' }); });`,
    );
    await withPool(new LintPool(1, {}, failingVisit, STANDBY), async (pool) => {
      assert.equal(await pool.visit(request), undefined);
    });
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

  it("a visit on a worker finds what the main thread's visit finds", async () => {
    const root = tempTree(BUILDS_PROJECT);
    const engine = await createEngine();
    const files: DiscoveredFile[] = [];
    const otherFiles: string[] = [];
    for await (const file of discoverFiles([root], { kinds: engine.kinds, onOtherFile: (p) => otherFiles.push(p) }))
      files.push(file);
    const here = await visitWorkspace(engine, [root], files, otherFiles);
    assert.ok(here && here.definitions.size >= 2 && here.runs.ephemeral.size > 0 && here.generatorCopies.length > 0);
    await withPool(new LintPool(1, {}, undefined, { mainThread: 'standby' }), async (pool) => {
      assert.deepEqual(await pool.visit({ folders: [root], files, otherFiles }), { facts: here, skipped: [] });
    });
  });

  it('a visit on a worker stops when cancelled', async () => {
    const scripts = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`s${i}.sh`, '#!/bin/sh\nmake\n']));
    const root = tempTree(scripts);
    const files = Object.keys(scripts).map((name) => ({ path: path.join(root, name), kind: 'shell' as const }));
    await withPool(new LintPool(1, {}, undefined, { mainThread: 'standby' }), async (pool) => {
      const controller = new AbortController();
      const visit = pool.visit({ folders: [root], files, otherFiles: [] }, controller.signal);
      controller.abort();
      assert.deepEqual(await visit, { facts: undefined, skipped: [] });
      assert.equal((await pool.visit({ folders: [root], files, otherFiles: [] }))?.facts?.files.length, 200);
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
