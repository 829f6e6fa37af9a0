import { setFlagsFromString } from 'node:v8';

/**
 * The V8 flags every host sets (the CLI, its scan workers, the language server), measured; they
 * change no result. Set by `prepareHostRuntime` and, before the bundle is compiled, by the launchers
 * (launch/): V8 uses a code cache only under the flags it was made with, and it is made after start-up.
 *
 * `--liftoff-only` keeps WebAssembly on V8's baseline compiler (Liftoff). Tiering the bash grammar's
 * big lexer and parser functions up to the optimising compiler runs on background threads that
 * compete with linting for the CPU, and their scratch memory (40–60 MB) stays resident afterwards as
 * freed malloc memory: a third of the language server's RSS. Baseline code parses shell about a
 * quarter slower, yet a Dockerfile scan is about 8 % faster and keystroke latency is unchanged. Set
 * before the grammar is compiled; V8 flags are per process, so worker threads share it.
 */
export function setHostV8Flags(): void {
  setFlagsFromString('--liftoff-only');
}

/**
 * How much bytecode, at most, the optimising compiler (TurboFan) inlines into one function it
 * compiles, in hosts that lint one batch of files and exit (the CLI and the GitHub Action); V8's
 * default is 920.
 */
export const BATCH_MAX_INLINED_BYTECODE = 115;

/**
 * The V8 flags of the hosts that lint one batch and exit (the CLI, the GitHub Action), on top of
 * `setHostV8Flags`; they change no result. A scan lasts seconds, and TurboFan's compiles of the
 * engine's hot functions took about a third of its CPU time (perf, the corpus's Dockerfiles as a
 * file list), on threads beside the main thread. Inlining less makes each compile smaller and
 * leaves fewer inlined assumptions to deoptimise on: scan CPU fell by about a fifth, the main
 * thread's own time did not grow (A/B/B/A pairs in the commit). The language server does not set
 * it: it runs for hours, where the optimised code's speed is what counts. Set before the bundle is
 * compiled (the code cache is made under it); V8 flags are per process, so workers share it.
 */
export function setBatchV8Flags(): void {
  setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${BATCH_MAX_INLINED_BYTECODE}`);
}
