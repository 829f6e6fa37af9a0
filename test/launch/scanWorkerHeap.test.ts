import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/repo';
import { SERVER_NODE_FLAGS } from '../../server/src/lsp/nodeFlags';

const NODE_FLAGS = path.join(REPO_ROOT, 'out', 'server', 'src', 'lsp', 'nodeFlags.js');

/**
 * The young generation (MB of new space) a scan worker gets in a process started with the server's
 * flags, and the main thread's after the worker ran; `clear`: whether the server cleared the flag.
 */
function newSpaceMB(clear: boolean): { worker: number; main: number } {
  const script = `
    const v8 = require('node:v8');
    const { Worker } = require('node:worker_threads');
    const flags = require(${JSON.stringify(NODE_FLAGS)});
    const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 2 ** 20;
    if (${clear}) flags.letWorkersSizeTheirYoungGeneration();
    const grow = 'let a = []; for (let i = 0; i < 3e6; i++) a.push({ i }); a = null;';
    const worker = new Worker(grow + "require('node:worker_threads').parentPort.postMessage(" +
      "require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 2 ** 20)",
      { eval: true, resourceLimits: flags.SCAN_WORKER_LIMITS });
    worker.on('message', (mb) => {
      eval(grow);
      console.log(JSON.stringify({ worker: mb, main: newSpace() }));
      worker.terminate();
    });`;
  return JSON.parse(execFileSync(process.execPath, [...SERVER_NODE_FLAGS, '-e', script], { encoding: 'utf8' }));
}

describe("the language server's scan workers", function () {
  this.timeout(60000);

  it("get the CLI's young generation; the server keeps its own small one", () => {
    assert.deepEqual(newSpaceMB(true), { worker: 32, main: 4 });
    // Why the server clears the flag: under it, the worker's own limits are not applied.
    assert.deepEqual(newSpaceMB(false), { worker: 4, main: 4 });
  });
});
