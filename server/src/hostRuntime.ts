import { setFlagsFromString } from 'node:v8';
import { Argument, Instruction } from 'dockerfile-ast';

/**
 * Process-wide settings each host makes at its entry point (the CLI, its scan workers, the language
 * server), before it builds the engine. Neither changes a result: both were measured, and they are
 * the hosts' choice, not the engine's (tests and embedders may leave them out).
 */
export function prepareHostRuntime(): void {
  keepWebAssemblyOnBaselineCompiler();
  tokeniseDockerfileArgumentsOnce();
}

/**
 * Keeps WebAssembly on V8's baseline compiler (Liftoff). Tiering the bash grammar's big lexer and
 * parser functions up to the optimising compiler runs on background threads that compete with
 * linting for the CPU, and their scratch memory (40–60 MB) stays resident afterwards as freed malloc
 * memory: a third of the language server's RSS. Baseline code parses shell about a quarter slower,
 * yet a Dockerfile scan is about 8 % faster and keystroke latency is unchanged. Set before the
 * grammar is compiled; V8 flags are per process, so worker threads share it.
 */
function keepWebAssemblyOnBaselineCompiler(): void {
  setFlagsFromString('--liftoff-only');
}

const TOKENS = Symbol('tokenised arguments');

/**
 * dockerfile-ast re-tokenises an instruction's arguments on every `getArguments()`-based call
 * (getImage, getFlags, getArgumentsRange, heredocs, its own constructors): about ten times per
 * instruction, a fifth of a Dockerfile lint. The arguments of an instruction never change (its text
 * is fixed), so each instruction tokenises once; callers get their own copy of the list, as before
 * (dockerfile-ast shifts flags off the array it gets). The tokens are kept on the instruction
 * itself: a WeakMap keyed by instructions made the young-generation collector keep every parse alive
 * one collection longer, which tripled its work.
 */
function tokeniseDockerfileArgumentsOnce(): void {
  const prototype = Instruction.prototype as unknown as { getRawArguments: (this: object) => Argument[] };
  const tokenise = prototype.getRawArguments;
  if (typeof tokenise !== 'function' || (tokenise as { memoised?: true }).memoised) return;
  const memoised = function (this: { [TOKENS]?: Argument[] }): Argument[] {
    let args = this[TOKENS];
    if (!args) {
      args = tokenise.call(this);
      this[TOKENS] = args;
    }
    return args.slice();
  };
  prototype.getRawArguments = Object.assign(memoised, { memoised: true as const });
}
