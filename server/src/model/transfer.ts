import type { Add, Copy, Heredoc } from 'dockerfile-ast';
import type { Range } from '../engine/types';

/** One path or URL word of a COPY or ADD, as the builder reads it (quotes removed). */
export interface TransferWord {
  value: string;
  /** Range of the word as written, quotes included. */
  range: Range;
}

/** The sources and destination of a COPY or ADD. */
export interface Transfer {
  sources: TransferWord[];
  destination: TransferWord;
}

/**
 * The sources and destination of a COPY or ADD, in JSON form (`ADD ["a", "b"]`) or shell form.
 * BuildKit removes quotes when it expands a shell-form word, so `ADD "https://…" /x` names the
 * URL; lines of a heredoc body (`COPY <<EOF /etc/x`) are file content, not sources. Undefined when
 * the instruction has fewer than two words.
 */
export function transferOf(instruction: Copy | Add): Transfer | undefined {
  const words = instruction.getArguments();
  let list: TransferWord[];
  if (words[0]?.getValue().startsWith('[')) {
    list = instruction.getJSONStrings().map((s) => ({ value: s.getJSONValue(), range: s.getRange() }));
  } else {
    // dockerfile-ast parses heredocs on COPY and ADD but declares the getter public on neither.
    const hasHeredoc = words.some((w) => w.getValue().startsWith('<<'));
    const heredocs = hasHeredoc
      ? ((instruction as unknown as { getHeredocs?(): Heredoc[] }).getHeredocs?.() ?? [])
      : [];
    const bodies = heredocs.map((h) => h.getContentRange()).filter((r): r is NonNullable<typeof r> => r !== null);
    const inBody = (line: number) => bodies.some((r) => r.start.line <= line && line <= r.end.line);
    list = words
      .filter((w) => !inBody(w.getRange().start.line))
      .map((w) => ({ value: unquote(w.getValue()), range: w.getRange() }));
  }
  if (list.length < 2) return undefined;
  return { sources: list.slice(0, -1), destination: list[list.length - 1]! };
}

/** `"a"` or `'a'` → `a`; other words as written. */
function unquote(word: string): string {
  if (word.length >= 2 && (word[0] === '"' || word[0] === "'") && word[word.length - 1] === word[0])
    return word.slice(1, -1);
  return word;
}
