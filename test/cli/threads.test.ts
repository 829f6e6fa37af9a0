import * as assert from 'node:assert/strict';
import {
  editorScanWorkers,
  PARALLEL_MIN_COST,
  PARALLEL_MIN_FILES,
  threadPlan,
  wantsWorkers,
} from '../../server/src/cli/threads';
import { PinnedChunks, SharedChunks } from '../../server/src/cli/chunks';

describe('scan threads', () => {
  it('DRIFTGUARD_SCAN_THREADS or the option forces the count (no size threshold); bad values are ignored', () => {
    assert.deepEqual(threadPlan(undefined, { DRIFTGUARD_SCAN_THREADS: '1' }, 8), { threads: 1, forced: true });
    assert.deepEqual(threadPlan(undefined, { DRIFTGUARD_SCAN_THREADS: ' 3 ' }, 2), { threads: 3, forced: true });
    assert.deepEqual(threadPlan(2, { DRIFTGUARD_SCAN_THREADS: '1' }, 8), { threads: 2, forced: true });
    for (const bad of ['0', '-2', 'two', '1.5', ''])
      assert.equal(threadPlan(undefined, { DRIFTGUARD_SCAN_THREADS: bad }, 8).forced, false, bad);
    assert.ok(wantsWorkers({ threads: 2, forced: true }, 1));
    assert.ok(!wantsWorkers({ threads: 1, forced: true }, 10000));
  });

  it('default: one thread per core but one, up to 4; workers only for large scans', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 64].map((cores) => threadPlan(undefined, {}, cores).threads),
      [1, 1, 2, 3, 4, 4],
    );
    const plan = threadPlan(undefined, {}, 8);
    assert.ok(!wantsWorkers(plan, PARALLEL_MIN_FILES - 1, PARALLEL_MIN_COST - 1));
    assert.ok(wantsWorkers(plan, PARALLEL_MIN_FILES));
    assert.ok(wantsWorkers(plan, 10, PARALLEL_MIN_COST));
    assert.ok(!wantsWorkers(threadPlan(undefined, {}, 2), 100000, 1e9));
  });

  it("the editor's scan: large ones on the CLI's workers, at least one, the main thread on standby", () => {
    assert.deepEqual(
      [1, 2, 3, 5, 64].map((cores) => editorScanWorkers(threadPlan(undefined, {}, cores), PARALLEL_MIN_FILES)),
      [1, 1, 1, 3, 3].map((workers) => ({ workers, mainThread: 'standby' })),
    );
    assert.equal(editorScanWorkers(threadPlan(undefined, {}, 8), PARALLEL_MIN_FILES - 1), undefined);
    assert.deepEqual(editorScanWorkers(threadPlan(undefined, {}, 2), 3, 0), { workers: 1, mainThread: 'standby' });
    // A forced count is the CLI's: the main thread is one of the threads, and lints.
    assert.deepEqual(editorScanWorkers(threadPlan(3, {}, 2), 1), { workers: 2, mainThread: 'lints' });
    assert.equal(editorScanWorkers(threadPlan(undefined, { DRIFTGUARD_SCAN_THREADS: '1' }, 8), 100000), undefined);
  });

  it('chunk sources hand out every task exactly once', () => {
    const costs = Array.from({ length: 500 }, (_, i) => 500 + ((i * 7919) % 20000));
    const shared = new SharedChunks(costs, 3);
    const seen: number[] = [];
    const sizes: number[] = [];
    for (let chunk = shared.next(); chunk; chunk = shared.next()) {
      seen.push(...chunk);
      sizes.push(chunk.length);
    }
    assert.deepEqual(
      seen,
      costs.map((_, i) => i),
    );
    assert.ok(sizes[sizes.length - 1]! <= sizes[0]!, 'chunks shrink towards the end');
    const pinned = new PinnedChunks([0, 1, 2, 5, 1], 3);
    assert.deepEqual([pinned.next(1), pinned.next(1), pinned.next(1)], [[1], [4], undefined]);
    assert.ok(pinned.holdsFor(2));
    pinned.release(2);
    assert.deepEqual([pinned.next(0), pinned.next(0), pinned.next(0), pinned.next(0)], [[0], [2], [3], undefined]);
  });
});
