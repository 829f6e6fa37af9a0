import { redactText } from '../net/redact';

/**
 * Characters that change what a terminal shows rather than print: C0 and C1 controls (escape
 * sequences clear the screen or set the window title), DEL, line and paragraph separators (a
 * newline in a folder name would forge a whole finding line), and the bidirectional overrides
 * that make text read in another order than it runs.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text from files or servers (paths, messages, reasons, registry answers) as it may be written to
 * a terminal or a text log: unprintable characters escaped as `\n`, `\x1b`, `\u202e`, and the
 * user name and password of any URL redacted. DriftGuard's own line breaks are added around it.
 */
export function printable(text: string): string {
  return redactText(text).replace(
    UNPRINTABLE,
    (c) => NAMED[c] ?? (c.charCodeAt(0) <= 0xff ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`),
  );
}

function hex(c: string, width: number): string {
  return c.charCodeAt(0).toString(16).padStart(width, '0');
}
