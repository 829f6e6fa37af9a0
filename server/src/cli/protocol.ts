import type { DiscoveredFile } from '../workspace/discover';
import type { WorkspaceFacts } from '../workspace/workspaceVisit';
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

/** The files a scan visits before linting (see `visitWorkspace`): those the walk found, of known kinds and other. */
export interface VisitRequest {
  folders: string[];
  files: DiscoveredFile[];
  otherFiles: string[];
}

/** What a worker's visit found; `facts` is undefined when it was cancelled. */
export interface VisitReply {
  facts: WorkspaceFacts | undefined;
  /** Support files (bake files, templates) that could not be read: path and reason. */
  skipped: Array<[string, string]>;
}

/**
 * Main thread → worker. A `phase` message precedes the first `lint` of each phase; the worker
 * answers every `lint` with exactly one `done` or `failed` of the same id, and every `visit` with
 * one `visited` or `failed`. `cancel` ends a visit in progress (its reply has no facts).
 */
export type ToWorker =
  | { type: 'phase'; phase: PhaseContext }
  | { type: 'lint'; id: number; tasks: LintTask[] }
  | { type: 'visit'; id: number; request: VisitRequest }
  | { type: 'cancel' };

/** Worker → main thread. `ready` comes once, after the analysers are loaded. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'done'; id: number; results: TaskResult[] }
  | { type: 'visited'; id: number; reply: VisitReply }
  | { type: 'failed'; id: number; error: string };

export function isScanWorkerData(data: unknown): data is ScanWorkerData {
  return typeof data === 'object' && data !== null && (data as { role?: unknown }).role === SCAN_WORKER_ROLE;
}
