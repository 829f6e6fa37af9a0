import { ResourceLimits, Worker } from 'node:worker_threads';
import type { ChunkSource } from './chunks';
import type { LintTask, PhaseContext, TaskResult } from './lintTask';
import { FromWorker, SCAN_WORKER_ROLE, ScanWorkerData, ToWorker, VisitReply, VisitRequest } from './protocol';
import { SCAN_WORKER_FILE } from './scanWorker';

/** Chunks a worker holds at once, so it keeps busy while its next chunk is prepared and posted. */
const PREFETCH = 2;

/** A worker loads in about 0.3 s; this bounds a load that hangs, even on a machine under load. */
const READY_TIMEOUT_MS = 20_000;

/** How often a main thread waiting for workers checks whether the run was cancelled. */
const CANCEL_CHECK_MS = 50;

/** What a caller that shows progress or can be cancelled watches of a run. */
export interface RunWatch {
  /** Called as each task's result lands (in any order, from any thread), before `run` resolves. */
  onResult?: (taskIndex: number, result: TaskResult) => void;
  /**
   * Checked before each chunk is handed out and while the main thread waits; once true, no more
   * chunks are, and `run` resolves as soon as the main thread's chunk (if any) is done, with no
   * result for the tasks never linted.
   */
  isCancelled?: () => boolean;
}

interface Phase {
  tasks: readonly LintTask[];
  watch: RunWatch;
  context: PhaseContext;
  source: ChunkSource;
  /** What a task is completed with right before a thread takes it. */
  prepare: (task: LintTask) => LintTask;
  results: TaskResult[];
  /** Tasks with a result. */
  landed: number;
  /** An error of the main thread's side of a worker's chunk (`prepare`, `onResult`): the run rejects with it. */
  error?: { thrown: unknown };
  /** Chunks a worker gave back (failed or lost): the main thread lints them. */
  retry: number[][];
}

interface PoolWorker {
  /** 1…n; 0 is the main thread. */
  thread: number;
  worker: Worker;
  ready: boolean;
  alive: boolean;
  /** Stops a worker that does not load in time (see `PoolOptions.readyTimeoutMs`). */
  readyTimer?: NodeJS.Timeout;
  /** The phase whose context the worker was last sent. */
  phase?: Phase;
  inFlight: Map<number, { phase: Phase; chunk: number[] }>;
}

/** How a pool's threads share the work. */
export interface PoolOptions {
  /**
   * `lints` (the CLI): the main thread lints beside the workers and never waits for one to start
   * (a `visit` does wait).
   * `standby` (a host whose main thread has other work, the language server): only the workers
   * lint; the main thread lints what a worker hands back or what is pinned to it (`PinnedChunks`),
   * and everything once no worker is alive.
   */
  mainThread?: 'lints' | 'standby';
  /**
   * A worker not ready this long after it was started is stopped and counts as lost, so a worker
   * that never loads cannot hold up a scan or a visit (default READY_TIMEOUT_MS).
   */
  readyTimeoutMs?: number;
  /** The workers' heap limits (see Node's `resourceLimits`). */
  resourceLimits?: ResourceLimits;
}

/**
 * Worker threads that lint alongside the main thread, or for it (`PoolOptions.mainThread`). Workers
 * join once their analysers are loaded. A worker that fails a chunk, crashes or exits hands its
 * chunks back to the main thread, so every task gets a result (or the main thread's own error,
 * exactly as without workers).
 */
export class LintPool {
  private readonly workers: PoolWorker[] = [];
  private current: Phase | undefined;
  private wake: (() => void) | undefined;
  private nextId = 1;
  private readonly standby: boolean;
  /** Visits posted and not answered, by id. */
  private readonly visits = new Map<number, { worker: PoolWorker; done: (reply: VisitReply | undefined) => void }>();

  /** `file` must serve the protocol of protocol.ts when loaded with `data` as workerData. */
  constructor(
    count: number,
    data: Omit<ScanWorkerData, 'role'> = {},
    file: string = SCAN_WORKER_FILE,
    options: PoolOptions = {},
  ) {
    this.standby = options.mainThread === 'standby';
    for (let thread = 1; thread <= count; thread++) {
      const worker = new Worker(file, {
        workerData: { ...data, role: SCAN_WORKER_ROLE } satisfies ScanWorkerData,
        ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
      });
      const w: PoolWorker = { thread, worker, ready: false, alive: true, inFlight: new Map() };
      worker.on('message', (message: FromWorker) => this.onMessage(w, message));
      worker.on('error', () => this.lose(w));
      worker.on('messageerror', () => {
        this.lose(w);
        void worker.terminate();
      });
      worker.on('exit', () => this.lose(w));
      this.workers.push(w);
      // Checked after the event loop's next poll: a main thread busy past the timeout (a CLI reading a
      // large tree) would otherwise find a `ready` that is waiting to be delivered, and stop the worker.
      w.readyTimer = setTimeout(
        () =>
          setImmediate(() => {
            if (w.ready || !w.alive) return;
            this.lose(w);
            void worker.terminate();
          }),
        options.readyTimeoutMs ?? READY_TIMEOUT_MS,
      );
      w.readyTimer.unref();
    }
  }

  /**
   * Lints `tasks` on every thread (`lintHere` on the main thread); resolves with their results in
   * task order (a cancelled run leaves holes). `prepare` completes each task on the main thread right
   * before a thread takes it, so that work overlaps the workers' linting. One run at a time.
   */
  async run(
    tasks: readonly LintTask[],
    context: PhaseContext,
    source: ChunkSource,
    lintHere: (task: LintTask) => TaskResult,
    watch: RunWatch = {},
    prepare: (task: LintTask) => LintTask = (task) => task,
  ): Promise<TaskResult[]> {
    if (this.current) throw new Error('LintPool.run: a run is already in progress');
    const results = new Array<TaskResult>(tasks.length);
    const phase: Phase = { tasks, watch, context, source, prepare, results, landed: 0, retry: [] };
    for (const w of this.workers) if (!w.alive) source.release(w.thread);
    this.current = phase;
    try {
      for (;;) {
        rethrow(phase);
        if (watch.isCancelled?.()) break;
        this.feed();
        rethrow(phase);
        const standing = this.standby && this.workers.some((w) => w.alive) && !source.holdsFor(0);
        const chunk = phase.retry.shift() ?? (standing ? undefined : source.next(0));
        if (chunk) {
          for (const i of chunk) this.land(phase, i, lintHere(prepare(tasks[i]!)));
          // Lets worker replies in, so workers are fed again before the next chunk.
          await new Promise<void>((resolve) => setImmediate(resolve));
          continue;
        }
        if (phase.landed === tasks.length) break;
        if (!standing && !this.workers.some((w) => w.alive && (w.inFlight.size > 0 || source.holdsFor(w.thread))))
          break;
        await new Promise<void>((resolve) => {
          // A standby main thread may wait on a worker's long chunk: a cancelled run does not.
          const check = watch.isCancelled ? setTimeout(resolve, CANCEL_CHECK_MS) : undefined;
          this.wake = () => {
            clearTimeout(check);
            resolve();
          };
        });
      }
    } finally {
      this.current = undefined;
    }
    return phase.results;
  }

  /**
   * A scan's visit (see `VisitRequest`) on the first live worker, whose lints then read again what
   * it read. Undefined when no worker is alive, or the worker failed or was lost: the caller visits
   * on its own thread. `signal` cancels the visit (the reply then has no facts).
   */
  visit(request: VisitRequest, signal?: AbortSignal): Promise<VisitReply | undefined> {
    const w = this.workers.find((candidate) => candidate.alive);
    if (!w) return Promise.resolve(undefined);
    const id = this.nextId++;
    if (signal?.aborted) return Promise.resolve({ facts: undefined, skipped: [] });
    return new Promise((resolve) => {
      // Answered at once: the worker may be busy, or not loaded yet; it stops visiting when it reads this.
      const cancel = () => {
        this.post(w, { type: 'cancel' });
        this.endVisits((visit) => visit.id === id, { facts: undefined, skipped: [] });
      };
      this.visits.set(id, {
        worker: w,
        done: (reply) => {
          signal?.removeEventListener('abort', cancel);
          resolve(reply);
        },
      });
      signal?.addEventListener('abort', cancel, { once: true });
      try {
        this.post(w, { type: 'visit', id, request });
      } catch {
        // Not posted (e.g. a request that cannot be cloned): the caller visits itself.
        this.endVisits((visit) => visit.id === id);
      }
    });
  }

  async close(): Promise<void> {
    const live = this.workers.filter((w) => w.alive);
    for (const w of this.workers) {
      w.alive = false;
      clearTimeout(w.readyTimer);
      w.inFlight.clear();
    }
    this.endVisits(() => true);
    await Promise.all(live.map((w) => w.worker.terminate()));
  }

  private feed(): void {
    const phase = this.current;
    if (!phase || phase.error || phase.watch.isCancelled?.()) return;
    for (const w of this.workers) {
      while (w.alive && w.ready && w.inFlight.size < PREFETCH) {
        const chunk = phase.source.next(w.thread);
        if (!chunk) break;
        let tasks: LintTask[];
        try {
          tasks = chunk.map((i) => phase.prepare(phase.tasks[i]!));
        } catch (thrown) {
          phase.error = { thrown };
          return;
        }
        if (w.phase !== phase) {
          this.post(w, { type: 'phase', phase: phase.context });
          w.phase = phase;
        }
        const id = this.nextId++;
        w.inFlight.set(id, { phase, chunk });
        this.post(w, { type: 'lint', id, tasks });
      }
    }
  }

  private post(w: PoolWorker, message: ToWorker): void {
    w.worker.postMessage(message);
  }

  private onMessage(w: PoolWorker, message: FromWorker): void {
    if (!w.alive) return;
    const visit = message.type === 'ready' ? undefined : this.visits.get(message.id);
    if (message.type === 'ready') {
      w.ready = true;
      clearTimeout(w.readyTimer);
    } else if (visit) {
      this.visits.delete(message.id);
      visit.done(message.type === 'visited' ? message.reply : undefined);
    } else if (message.type !== 'visited') {
      const sent = w.inFlight.get(message.id);
      if (!sent) return;
      w.inFlight.delete(message.id);
      if (message.type === 'done' && message.results.length === sent.chunk.length) {
        try {
          sent.chunk.forEach((taskIndex, k) => this.land(sent.phase, taskIndex, message.results[k]!));
        } catch (thrown) {
          sent.phase.error ??= { thrown };
        }
      } else {
        sent.phase.retry.push(sent.chunk);
      }
    }
    this.feed();
    this.notify();
  }

  /** Records a result; results of a run that already ended (cancelled) are dropped. */
  private land(phase: Phase, taskIndex: number, result: TaskResult): void {
    if (phase !== this.current) return;
    if (phase.results[taskIndex] === undefined) phase.landed++;
    phase.results[taskIndex] = result;
    phase.watch.onResult?.(taskIndex, result);
  }

  private lose(w: PoolWorker): void {
    if (!w.alive) return;
    w.alive = false;
    for (const { phase, chunk } of w.inFlight.values()) phase.retry.push(chunk);
    w.inFlight.clear();
    this.endVisits((visit) => visit.worker === w);
    this.current?.source.release(w.thread);
    this.notify();
  }

  /** Answers the visits `ended` picks with `reply` (by default none: the caller visits itself). */
  private endVisits(ended: (visit: { worker: PoolWorker; id: number }) => boolean, reply?: VisitReply): void {
    for (const [id, visit] of this.visits)
      if (ended({ worker: visit.worker, id })) {
        this.visits.delete(id);
        visit.done(reply);
      }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/** Throws what the main thread's side of a worker's chunk threw, if anything. */
function rethrow(phase: Phase): void {
  if (phase.error) throw phase.error.thrown;
}
