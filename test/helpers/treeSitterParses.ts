import { Parser } from 'web-tree-sitter';

/**
 * Runs `work` (in this process) while counting how many times tree-sitter parses each text; a kept or
 * held tree handed out again is not a parse. The parser is restored afterwards, whatever happens.
 */
export async function countingTreeSitterParses<T>(
  work: () => Promise<T>,
): Promise<{ result: T; parses: Map<string, number> }> {
  const parses = new Map<string, number>();
  const parse = Object.getOwnPropertyDescriptor(Parser.prototype, 'parse')!;
  Parser.prototype.parse = function (this: Parser, ...args: Parameters<Parser['parse']>) {
    if (typeof args[0] === 'string') parses.set(args[0], (parses.get(args[0]) ?? 0) + 1);
    return (parse.value as Parser['parse']).apply(this, args);
  };
  try {
    return { result: await work(), parses };
  } finally {
    Object.defineProperty(Parser.prototype, 'parse', parse);
  }
}
