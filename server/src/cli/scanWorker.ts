import { isMainThread, MessagePort, parentPort, workerData } from 'node:worker_threads';
import { createEngine } from '../createEngine';
import { prepareHostRuntime } from '../hostRuntime';
import { SettingsResolver } from '../workspace/settingsResolver';
import type { DocumentModel } from '../engine/documentModel';
import type { Engine } from '../engine/engine';
import { visitWorkspace } from '../workspace/workspaceVisit';
import { HELD_TREES_TEXT } from './lintPhases';
import { LintTask, lintTaskAfterPasses, PhaseContext } from './lintTask';
import { FromWorker, isScanWorkerData, ScanWorkerData, ToWorker, VisitReply, VisitRequest } from './protocol';

/**
 * The script a scan worker runs: this module, or the bundle it is part of (dist/cli.js). Loading
 * it in a worker thread whose workerData is a ScanWorkerData starts serving; anywhere else it only
 * exports.
 */
export const SCAN_WORKER_FILE = __filename;

/** True in a scan worker, where the CLI's own entry point must not run. */
export const IS_SCAN_WORKER = !isMainThread && parentPort !== null && isScanWorkerData(workerData);

if (IS_SCAN_WORKER) {
  // Library patches are per thread (each worker loads its own modules): see hostRuntime.ts.
  prepareHostRuntime();
  serve(parentPort!, workerData as ScanWorkerData).catch((error: unknown) => {
    // Surfaces as the worker's 'error' event; the main thread lints this worker's share itself.
    process.nextTick(() => {
      throw error;
    });
  });
}

async function serve(port: MessagePort, data: ScanWorkerData): Promise<void> {
  const engine = await createEngine();
  const resolver = new SettingsResolver(undefined, data.configPath, false, data.within);
  let phase: PhaseContext = { wantScripts: false };
  // Models a visit on this thread read of files whose kind can read them again, for their lints here.
  const parsedBefore = new Map<string, DocumentModel>();
  let cancelled = false;
  const reply = (message: FromWorker) => port.postMessage(message);
  const fail = (id: number, error: unknown) =>
    reply({ type: 'failed', id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  const lint = (task: LintTask) => lintTaskAfterPasses(engine, task, resolver, phase, parsedBefore);
  port.on('message', (message: ToWorker) => {
    if (message.type === 'phase') phase = message.phase;
    else if (message.type === 'cancel') cancelled = true;
    else if (message.type === 'visit') {
      cancelled = false;
      visitHere(engine, message.request, parsedBefore, () => cancelled).then(
        (visited) => reply({ type: 'visited', id: message.id, reply: visited }),
        (error: unknown) => fail(message.id, error),
      );
    } else {
      try {
        reply({ type: 'done', id: message.id, results: message.tasks.map(lint) });
      } catch (error) {
        fail(message.id, error);
      }
    }
  });
  reply({ type: 'ready' });
}

/**
 * A scan's visit on this thread, as the CLI's scan makes it before its lints: the models and shell
 * trees it reads are kept for the lints of the same files here (`parsedBefore`, held trees), since a
 * worker's memory is given back when the scan ends. A `.env` the visit cannot read gives no values;
 * the main thread reads and reports those for the lints.
 */
async function visitHere(
  engine: Engine,
  request: VisitRequest,
  parsedBefore: Map<string, DocumentModel>,
  isCancelled: () => boolean,
): Promise<VisitReply> {
  const skipped: Array<[string, string]> = [];
  engine.shellParser.holdTrees(HELD_TREES_TEXT);
  try {
    const facts = await visitWorkspace(engine, request.folders, request.files, request.otherFiles, {
      onSkipped: (filePath, reason) => skipped.push([filePath, reason]),
      isCancelled,
      parsedBefore,
    });
    return { facts, skipped };
  } finally {
    engine.shellParser.stopHolding();
  }
}
