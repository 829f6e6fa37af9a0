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
