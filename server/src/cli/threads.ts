import * as os from 'node:os';

/** Environment variable that forces the scan's thread count (main thread included; 1 = no workers). */
export const SCAN_THREADS_ENV = 'DRIFTGUARD_SCAN_THREADS';

/**
 * Cores left to V8's own threads. While a scan runs, V8's optimising compiler and GC threads keep
 * about one core busy next to the main thread, and every worker compiles the same code again; so
 * on 2 cores a worker only slows the scan down, and on more cores one stays for them.
 */
const CORES_FOR_V8 = 1;
const MAX_DEFAULT_THREADS = 4;
const MAX_FORCED_THREADS = 16;

/**
 * A scan starts workers once it has this many files, or (after reading) this estimated lint cost
 * (taskCost: characters plus a per-file cost). A worker needs about 0.2 s to load and then lints at
 * cold-compiler speed for a while; smaller scans are over before it would take a real share.
 */
export const PARALLEL_MIN_FILES = 500;
export const PARALLEL_MIN_COST = 2 * 1024 * 1024;

export interface ThreadPlan {
  /** Threads to use, main thread included, once the scan is large enough (or forced). */
  threads: number;
  /** Set by the option or the environment variable: no size threshold. */
  forced: boolean;
}

/**
 * The forced count (option, else the environment variable), or one thread per core but
 * CORES_FOR_V8, up to 4.
 */
export function threadPlan(
  forced?: number,
  env: NodeJS.ProcessEnv = process.env,
  cores: number = os.availableParallelism(),
): ThreadPlan {
  const requested = forced ?? parseThreads(env[SCAN_THREADS_ENV]);
  if (requested !== undefined)
    return { threads: Math.min(Math.max(1, Math.floor(requested)), MAX_FORCED_THREADS), forced: true };
  return { threads: Math.max(1, Math.min(cores - CORES_FOR_V8, MAX_DEFAULT_THREADS)), forced: false };
}

/** Worker threads for a scan, and what the main thread does meanwhile (see `PoolOptions`). */
export interface ScanWorkers {
  workers: number;
  mainThread: 'lints' | 'standby';
}

/**
 * The language server's Scan Workspace. One of `minFiles` files or more (PARALLEL_MIN_FILES; the
 * server reads texts a batch at a time, so their size is not known yet) runs on the workers the
 * CLI's scan would start, at least one, with the main thread on standby: it stays free for the
 * editor, whose memory settings (lsp/nodeFlags.ts) are not a scan's, and what the workers held is
 * given back when they exit. Not one more worker in the main thread's place: each holds a scan's
 * heap (about 110 MB on the corpus) for an editor process. A forced count is the CLI's: the main
 * thread is one of the threads and lints. Undefined: no workers.
 */
export function editorScanWorkers(
  plan: ThreadPlan,
  files: number,
  minFiles: number = PARALLEL_MIN_FILES,
): ScanWorkers | undefined {
  if (plan.forced) return plan.threads > 1 ? { workers: plan.threads - 1, mainThread: 'lints' } : undefined;
  return files >= minFiles ? { workers: Math.max(1, plan.threads - 1), mainThread: 'standby' } : undefined;
}

/** True when a scan of this size should start its workers. */
export function wantsWorkers(plan: ThreadPlan, files: number, cost = 0): boolean {
  return plan.threads > 1 && (plan.forced || files >= PARALLEL_MIN_FILES || cost >= PARALLEL_MIN_COST);
}

function parseThreads(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 1 ? n : undefined;
}
