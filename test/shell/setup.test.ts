import { startTestEngine } from '../helpers/engine';

/**
 * Builds the tests' engine (loading the bash grammar, async) once before any test; every later lint
 * is synchronous. Works both as a spec file (a top-level `before` is a root hook) and with
 * `--require` (mochaHooks).
 */
async function init(this: Mocha.Context): Promise<void> {
  this.timeout(20000);
  await startTestEngine();
}

export const mochaHooks = { beforeAll: init };

if (typeof before === 'function') before(init);
