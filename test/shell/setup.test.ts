import { initShellAnalyzer } from '../../server/src/shell';

/**
 * Loads the bash grammar (async, wasm) once before any test; every later analysis is synchronous.
 * Works both as a spec file (a top-level `before` is a root hook) and with `--require` (mochaHooks).
 */
async function init(this: Mocha.Context): Promise<void> {
  this.timeout(20000);
  await initShellAnalyzer();
}

export const mochaHooks = { beforeAll: init };

if (typeof before === 'function') before(init);
