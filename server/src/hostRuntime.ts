import { Argument, Instruction } from 'dockerfile-ast';
import { setHostV8Flags } from './v8Flags';

/**
 * Process-wide settings each host makes at its entry point (the CLI, its scan workers, the language
 * server), before it builds the engine. Neither changes a result: both were measured, and they are
 * the hosts' choice, not the engine's (tests and embedders may leave them out).
 */
export function prepareHostRuntime(): void {
  setHostV8Flags();
  tokeniseDockerfileArgumentsOnce();
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
