const JSON_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/**
 * The character a JSON escape at `text[i]` (a backslash) stands for and how many characters it
 * takes (`\n`: 2, `\u0041`: 6); undefined when it is not a valid escape.
 */
export function jsonEscapeAt(text: string, i: number): { char: string; length: number } | undefined {
  const next = text[i + 1] ?? '';
  if (next === 'u') {
    const hex = text.slice(i + 2, i + 6);
    return /^[0-9a-fA-F]{4}$/.test(hex) ? { char: String.fromCharCode(parseInt(hex, 16)), length: 6 } : undefined;
  }
  const char = JSON_ESCAPES[next];
  return char === undefined ? undefined : { char, length: 2 };
}
