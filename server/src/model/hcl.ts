/**
 * A parser for the part of HCL (HashiCorp Configuration Language) that bake files use: blocks with
 * labels (`target "app" { … }`), attributes (`context = "."`), strings with `${…}` templates kept
 * as written, heredocs, numbers, booleans, lists and objects. Any other expression (function calls,
 * references, operators, conditionals, `for` expressions) is parsed over and kept as `other`.
 * Input is bounded by the caller; nesting deeper than {@link MAX_DEPTH} is an error.
 */

export type HclValue =
  | {
      kind: 'string';
      value: string;
      /** The string holds `${…}` or `%{…}` sequences (left as written). */ template: boolean;
    }
  | { kind: 'number' | 'bool' | 'null'; value: string }
  | { kind: 'list'; items: HclValue[] }
  | { kind: 'object'; entries: Array<[string, HclValue]> }
  | { kind: 'other' };

export interface HclBlock {
  type: string;
  labels: string[];
  body: HclBody;
}

export interface HclBody {
  attributes: Array<[string, HclValue]>;
  blocks: HclBlock[];
}

export class HclSyntaxError extends Error {
  override readonly name = 'HclSyntaxError';
}

const MAX_DEPTH = 64;
const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Parses a whole HCL document; throws {@link HclSyntaxError} with a line number on what it cannot read. */
export function parseHcl(text: string): HclBody {
  const parser = new Parser(text);
  const body = parser.body(0);
  parser.skip(true);
  if (!parser.atEnd()) parser.fail('unexpected text');
  return body;
}

class Parser {
  private i = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.i >= this.text.length;
  }

  fail(what: string): never {
    const line = this.text.slice(0, this.i).split('\n').length;
    throw new HclSyntaxError(`${what} at line ${line}`);
  }

  /** Skips blanks and comments, and newlines too when `newlines`. */
  skip(newlines: boolean): void {
    const text = this.text;
    while (this.i < text.length) {
      const ch = text[this.i]!;
      if (ch === ' ' || ch === '\t' || ch === '\r' || (newlines && ch === '\n')) this.i++;
      else if (ch === '#' || (ch === '/' && text[this.i + 1] === '/')) {
        const end = text.indexOf('\n', this.i);
        this.i = end < 0 ? text.length : end;
      } else if (ch === '/' && text[this.i + 1] === '*') {
        const end = text.indexOf('*/', this.i + 2);
        if (end < 0) this.fail('unterminated comment');
        this.i = end + 2;
      } else return;
    }
  }

  private ident(): string | undefined {
    IDENT.lastIndex = this.i;
    const match = IDENT.exec(this.text);
    if (!match) return undefined;
    this.i += match[0].length;
    return match[0];
  }

  body(depth: number): HclBody {
    if (depth > MAX_DEPTH) this.fail('nesting too deep');
    const body: HclBody = { attributes: [], blocks: [] };
    for (;;) {
      this.skip(true);
      if (this.atEnd() || this.text[this.i] === '}') return body;
      const name = this.ident() ?? this.fail('expected an attribute or a block');
      this.skip(false);
      if (this.text[this.i] === '=' && this.text[this.i + 1] !== '=') {
        this.i++;
        body.attributes.push([name, this.expression(depth + 1)]);
        this.endOfItem();
        continue;
      }
      const labels: string[] = [];
      for (;;) {
        this.skip(false);
        const ch = this.text[this.i];
        if (ch === '{') break;
        if (ch === '"') {
          const label = this.quoted();
          labels.push(label.value);
        } else labels.push(this.ident() ?? this.fail('expected a block label or "{"'));
      }
      this.i++;
      const inner = this.body(depth + 1);
      if (this.text[this.i] !== '}') this.fail('expected "}"');
      this.i++;
      body.blocks.push({ type: name, labels, body: inner });
    }
  }

  /** After an attribute: a newline, a comment, or the end of the body. */
  private endOfItem(): void {
    this.skip(false);
    const ch = this.text[this.i];
    if (ch === undefined || ch === '}') return;
    if (ch !== '\n') this.fail('expected a newline');
    this.i++;
  }

  /** One expression; a compound one (operators, calls, references) is skipped and kept as `other`. */
  expression(depth: number): HclValue {
    if (depth > MAX_DEPTH) this.fail('nesting too deep');
    this.skip(false);
    const start = this.i;
    const value = this.primary(depth);
    this.skip(false);
    const next = this.text[this.i];
    if (next === undefined || next === '\n' || next === ',' || next === '}' || next === ']' || next === ')')
      return value;
    this.i = start;
    this.skipExpression();
    return { kind: 'other' };
  }

  private primary(depth: number): HclValue {
    const text = this.text;
    const ch = text[this.i];
    if (ch === '"') return this.quoted();
    if (ch === '<' && text[this.i + 1] === '<') return this.heredoc();
    if (ch === '[') return this.list(depth);
    if (ch === '{') return this.object(depth);
    NUMBER.lastIndex = this.i;
    const number = NUMBER.exec(text);
    if (number) {
      this.i += number[0].length;
      return { kind: 'number', value: number[0] };
    }
    const name = this.ident();
    if (name === 'true' || name === 'false') return { kind: 'bool', value: name };
    if (name === 'null') return { kind: 'null', value: name };
    if (name === undefined) this.skipOperand();
    return { kind: 'other' };
  }

  private list(depth: number): HclValue {
    const open = this.i++;
    const items: HclValue[] = [];
    for (;;) {
      this.skip(true);
      if (this.text[this.i] === ']') break;
      if (/^for\b/.test(this.text.slice(this.i, this.i + 4))) {
        this.i = open;
        this.skipExpression();
        return { kind: 'other' };
      }
      items.push(this.expressionIn(depth));
      this.skip(true);
      if (this.text[this.i] === ',') this.i++;
      else if (this.text[this.i] !== ']') this.fail('expected "," or "]"');
    }
    this.i++;
    return { kind: 'list', items };
  }

  private object(depth: number): HclValue {
    const open = this.i++;
    const entries: Array<[string, HclValue]> = [];
    for (;;) {
      this.skip(true);
      const ch = this.text[this.i];
      if (ch === '}') break;
      if (ch === undefined) this.fail('expected "}"');
      if (/^for\b/.test(this.text.slice(this.i, this.i + 4))) {
        this.i = open;
        this.skipExpression();
        return { kind: 'other' };
      }
      const key = ch === '"' ? this.quoted().value : ch === '(' ? this.skipKey() : this.ident();
      if (key === undefined) this.fail('expected an object key');
      this.skip(false);
      const separator = this.text[this.i];
      if (separator !== '=' && separator !== ':') this.fail('expected "=" or ":"');
      this.i++;
      entries.push([key, this.expressionIn(depth)]);
      this.skip(false);
      if (this.text[this.i] === ',' || this.text[this.i] === '\n') this.i++;
      else if (this.text[this.i] !== '}') this.fail('expected "," or a newline');
    }
    this.i++;
    return { kind: 'object', entries };
  }

  /** An expression inside brackets, where newlines do not end it. */
  private expressionIn(depth: number): HclValue {
    this.skip(true);
    return this.expression(depth + 1);
  }

  private skipKey(): string {
    const start = this.i;
    this.skipOperand();
    return this.text.slice(start, this.i);
  }

  /** A quoted string; template sequences are kept as written (`${VAR}`), escapes decoded outside them. */
  quoted(): { kind: 'string'; value: string; template: boolean } {
    const text = this.text;
    this.i++;
    let value = '';
    let template = false;
    for (;;) {
      const ch = text[this.i];
      if (ch === undefined || ch === '\n') this.fail('unterminated string');
      if (ch === '"') {
        this.i++;
        return { kind: 'string', value, template };
      }
      if (ch === '\\') {
        const next = text[this.i + 1] ?? '';
        value += ESCAPES[next] ?? next;
        this.i += 2;
        if (next === 'u' || next === 'U') {
          const digits = next === 'u' ? 4 : 8;
          value =
            value.slice(0, -1) + String.fromCodePoint(parseInt(text.slice(this.i, this.i + digits), 16) || 0xfffd);
          this.i += digits;
        }
        continue;
      }
      if ((ch === '$' || ch === '%') && text[this.i + 1] === ch && text[this.i + 2] === '{') {
        // `$${` and `%%{` are literal.
        value += ch + '{';
        this.i += 3;
        continue;
      }
      if ((ch === '$' || ch === '%') && text[this.i + 1] === '{') {
        const start = this.i;
        this.i += 2;
        this.skipUntilClose('}');
        value += text.slice(start, this.i);
        template = true;
        continue;
      }
      value += ch;
      this.i++;
    }
  }

  private heredoc(): HclValue {
    const text = this.text;
    const header = /<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/y;
    header.lastIndex = this.i;
    const match = header.exec(text);
    if (!match) this.fail('bad heredoc');
    this.i += match[0].length;
    const lines: string[] = [];
    for (;;) {
      if (this.atEnd()) this.fail('unterminated heredoc');
      const end = text.indexOf('\n', this.i);
      const line = text.slice(this.i, end < 0 ? text.length : end).replace(/\r$/, '');
      this.i = end < 0 ? text.length : end + 1;
      if (line.trim() === match[2]) {
        this.i = end < 0 ? text.length : end;
        break;
      }
      lines.push(line);
    }
    const value = lines.join('\n');
    return { kind: 'string', value, template: /[$%]\{/.test(value) };
  }

  /** Skips to the end of an expression: a newline, "," or a closer at bracket depth 0. */
  private skipExpression(): void {
    const text = this.text;
    while (this.i < text.length) {
      const ch = text[this.i]!;
      if (ch === '\n' || ch === ',' || ch === '}' || ch === ']' || ch === ')') return;
      this.skipOperand();
      this.skip(false);
    }
  }

  /** Skips one token or one bracketed group (strings and nested brackets respected). */
  private skipOperand(): void {
    const text = this.text;
    const ch = text[this.i];
    if (ch === undefined) return;
    if (ch === '"') {
      this.quoted();
      return;
    }
    if (ch === '<' && text[this.i + 1] === '<' && /[A-Za-z_-]/.test(text[this.i + 2] ?? '')) {
      this.heredoc();
      return;
    }
    const closer = CLOSERS[ch];
    this.i++;
    if (closer) this.skipUntilClose(closer);
  }

  /** Skips to just after `closer`, across strings, comments, newlines and nested brackets. */
  private skipUntilClose(closer: string, depth = 0): void {
    if (depth > MAX_DEPTH) this.fail('nesting too deep');
    const text = this.text;
    for (;;) {
      this.skip(true);
      const ch = text[this.i];
      if (ch === undefined) this.fail(`expected "${closer}"`);
      if (ch === closer) {
        this.i++;
        return;
      }
      if (ch === '"') this.quoted();
      else if (CLOSERS[ch]) {
        this.i++;
        this.skipUntilClose(CLOSERS[ch], depth + 1);
      } else this.i++;
    }
  }
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', u: 'u', U: 'U' };
