import { setFlagsFromString } from 'node:v8';

/**
 * The V8 flags every host sets (the CLI, the GitHub Action, the language server, their scan
 * workers), measured; they change no result. Set by `prepareHostRuntime` and, before the bundle is
 * compiled, by the launchers (launch/): V8 uses a code cache only under the flags it was made with,
 * and it is made after start-up. V8 flags are per process, so worker threads share them.
 *
 * `--liftoff-only` keeps WebAssembly on V8's baseline compiler (Liftoff). Tiering the bash grammar's
 * big lexer and parser functions up to the optimising compiler runs on background threads that
 * compete with linting for the CPU, and their scratch memory (40–60 MB) stays resident afterwards as
 * freed malloc memory: a third of the language server's RSS. Baseline code parses shell about a
 * quarter slower, yet a Dockerfile scan is about 8 % faster and keystroke latency is unchanged. Set
 * before the grammar is compiled.
 *
 * `--max-inlined-bytecode-size-cumulative` bounds how much bytecode the optimising compiler
 * (TurboFan) inlines into one function it compiles (V8's default is 920). TurboFan's compiles of the
 * engine's hot functions took about a third of a CLI scan's CPU time (perf, the corpus's Dockerfiles
 * as a file list), on threads beside the main thread. Inlining less makes each compile smaller and
 * leaves fewer inlined assumptions to deoptimise on: CLI scan CPU fell by about a fifth, the main
 * thread's own time did not grow. In the language server it lowers every editor figure of the bench
 * against the same build without it (2 runs each): server CPU per keystroke 0.76× / 0.85× / 0.81×
 * (Dockerfile / Compose / shell), Scan Workspace 0.79–0.81× of the wall time, RSS after scans 0.95×.
 */
export const MAX_INLINED_BYTECODE = 115;

export function setHostV8Flags(): void {
  setFlagsFromString('--liftoff-only');
  setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${MAX_INLINED_BYTECODE}`);
}
