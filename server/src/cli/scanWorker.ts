import { isMainThread, MessagePort, parentPort, workerData } from 'node:worker_threads';
import { createEngine } from '../createEngine';
import { prepareHostRuntime } from '../hostRuntime';
import { SettingsResolver } from '../workspace/settingsResolver';
import { lintTask, PhaseContext } from './lintTask';
import { FromWorker, isScanWorkerData, ScanWorkerData, ToWorker } from './protocol';

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
  const reply = (message: FromWorker) => port.postMessage(message);
  port.on('message', (message: ToWorker) => {
    if (message.type === 'phase') {
      phase = message.phase;
      return;
    }
    try {
      reply({
        type: 'done',
        id: message.id,
        results: message.tasks.map((task) => lintTask(engine, task, resolver, phase)),
      });
    } catch (error) {
      reply({
        type: 'failed',
        id: message.id,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
  });
  reply({ type: 'ready' });
}
