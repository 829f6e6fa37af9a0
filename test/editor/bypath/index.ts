import { runSuite } from '../suite/index';

/**
 * Entry point of the by-path suite: the extension host opens test/fixtures/workflow-workspace, which
 * holds one GitHub workflow and nothing else DriftGuard reads (test/editor/tiers.js runs it in its own host).
 */
export function run(): Promise<void> {
  return runSuite(__dirname);
}
