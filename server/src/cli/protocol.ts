import type { LintTask, PhaseContext, TaskResult } from './lintTask';

/** Marks a worker thread as a scan worker (see scanWorker.ts). */
export const SCAN_WORKER_ROLE = 'driftguard-scan-worker';

export interface ScanWorkerData {
  role: typeof SCAN_WORKER_ROLE;
  /** The explicit `--config` file, absolute; otherwise each file's own config applies. */
  configPath?: string;
  /** The scanned folders, links resolved: config links found by lookup are followed only into them. */
  within?: string[];
}

/**
 * Main thread → worker. A `phase` message precedes the first `lint` of each phase; the worker
 * answers every `lint` with exactly one `done` or `failed` of the same id.
 */
export type ToWorker = { type: 'phase'; phase: PhaseContext } | { type: 'lint'; id: number; tasks: LintTask[] };

/** Worker → main thread. `ready` comes once, after the analysers are loaded. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'done'; id: number; results: TaskResult[] }
  | { type: 'failed'; id: number; error: string };

export function isScanWorkerData(data: unknown): data is ScanWorkerData {
  return typeof data === 'object' && data !== null && (data as { role?: unknown }).role === SCAN_WORKER_ROLE;
}
