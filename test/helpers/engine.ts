import type { Engine } from '../../server/src/engine/engine';
import { createEngine, loadBashParser } from '../../server/src/createEngine';
import type { BashParser } from '../../server/src/shell';
import { prepareHostRuntime } from '../../server/src/hostRuntime';

let shared: Engine | undefined;
let parser: BashParser | undefined;

/**
 * Builds the engine the tests share, as a host does (tests are a host: they own this engine and its
 * snippet cache). Called by the root hook in test/shell/setup.test.ts, before any test.
 */
export async function startTestEngine(): Promise<void> {
  prepareHostRuntime();
  shared ??= await createEngine();
  parser ??= await loadBashParser();
}

/** The tests' engine (every rule, the built-in kinds, its own snippet cache). */
export function testEngine(): Engine {
  if (!shared) throw new Error('the test engine is built by the root hook in test/shell/setup.test.ts');
  return shared;
}

/** A bash parser of the tests' own (tests that check what the engine's output parses to). */
export function testBashParser(): BashParser {
  if (!parser) throw new Error('the test parser is loaded by the root hook in test/shell/setup.test.ts');
  return parser;
}
