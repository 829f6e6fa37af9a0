import { Argument, Instruction } from 'dockerfile-ast';
import { Util } from 'dockerfile-ast/lib/util';
import { setHostV8Flags } from './v8Flags';

/**
 * Process-wide settings each host makes at its entry point (the CLI, its scan workers, the language
 * server), before it builds the engine. Neither changes a result: both were measured, and they are
 * the hosts' choice, not the engine's (tests and embedders may leave them out).
 */
export function prepareHostRuntime(): void {
  setHostV8Flags();
  tokeniseDockerfileArgumentsOnce();
  checkDockerfileByteOrderMarkWithoutEncoding();
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

/**
 * dockerfile-ast asks whether a Dockerfile starts with a byte order mark by encoding its first
 * character to UTF-8 in a new Buffer and copying that into a Uint8Array (`Util.isUTF8BOM`): about
 * 20 µs a file, 35–45 ms of the corpus's Dockerfiles as a file list. The bytes it looks for, EF BB BF,
 * begin the UTF-8 of U+FEFF and of no other code unit (a lone surrogate encodes as EF BF BD), so the
 * answer is whether the first code unit is U+FEFF (test/engine/hostRuntime.test.ts checks every one).
 */
function checkDockerfileByteOrderMarkWithoutEncoding(): void {
  const util = Util as unknown as { isUTF8BOM: (text: string) => boolean };
  util.isUTF8BOM = isByteOrderMark;
}

/** `Util.isUTF8BOM`'s answer for `text`, without encoding it. */
export function isByteOrderMark(text: string): boolean {
  return text.charCodeAt(0) === 0xfeff;
}
