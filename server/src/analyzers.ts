/**
 * One-time asynchronous set-up of the analysers (e.g. loading the WASM shell grammar); hosts
 * (CLI, language server, tests) await it before linting. Linting itself is synchronous.
 */
let ready: Promise<void> | undefined;

export function initAnalyzers(): Promise<void> {
  ready ??= Promise.resolve();
  return ready;
}
