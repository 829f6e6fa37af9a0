import * as os from 'node:os';

/** Environment variable that forces the scan's thread count (main thread included; 1 = no workers). */
export const SCAN_THREADS_ENV = 'DRIFTGUARD_SCAN_THREADS';

const MAX_DEFAULT_THREADS = 4;
const MAX_FORCED_THREADS = 16;

/**
 * A scan starts workers once it has this many files, or (after reading) this estimated lint cost
 * (taskCost: characters plus a per-file cost). A worker needs 0.1–0.2 s to load before it lints
 * anything; smaller scans take about that long on the main thread alone.
 */
export const PARALLEL_MIN_FILES = 200;
export const PARALLEL_MIN_COST = 1024 * 1024;

export interface ThreadPlan {
  /** Threads to use, main thread included, once the scan is large enough (or forced). */
  threads: number;
  /** Set by the option or the environment variable: no size threshold. */
  forced: boolean;
}

/** The forced count (option, else the environment variable), or one thread per core up to 4. */
export function threadPlan(forced?: number, env: NodeJS.ProcessEnv = process.env): ThreadPlan {
  const requested = forced ?? parseThreads(env[SCAN_THREADS_ENV]);
  if (requested !== undefined) return { threads: Math.min(Math.max(1, Math.floor(requested)), MAX_FORCED_THREADS), forced: true };
  return { threads: Math.max(1, Math.min(os.availableParallelism(), MAX_DEFAULT_THREADS)), forced: false };
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
