/**
 * Variable substitution shared by Dockerfile ARGs and Compose `.env` values.
 * `lookup` returns a string for a known value, `undefined` for an undeclared variable (empty, so
 * `${X:-default}` applies), and `null` for a variable whose value is unknown until run time.
 * A bare `$X`/`${X}` of an undeclared or unknown variable makes the whole value unresolvable:
 * a scan cannot know what it will be, so rules stay silent rather than guess.
 */
export type VariableLookup = (name: string) => string | null | undefined;

export interface Interpolated {
  value: string;
  /** True when at least one variable was substituted. */
  usedVariables: boolean;
  /**
   * When the whole value comes from one literal span of the input (a `${X:-default}` default),
   * its offsets in the input. Values from a variable's own definition are reported by `fromVariable`.
   */
  literalSpan?: { start: number; end: number };
  /** When the whole input is a single `$X`/`${X}` reference, the variable's name. */
  fromVariable?: string;
}

export interface InterpolateOptions {
  /** Compose: `$$` is a literal `$`. */
  dollarEscape?: boolean;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Returns undefined when the value depends on something unknown (or the syntax is broken). */
export function interpolate(
  input: string,
  lookup: VariableLookup,
  options: InterpolateOptions = {},
): Interpolated | undefined {
  let out = '';
  let usedVariables = false;
  let i = 0;
  const tokens: Array<{
    start: number;
    end: number;
    name: string;
    defaultSpan?: { start: number; end: number };
    usedDefault: boolean;
  }> = [];
  while (i < input.length) {
    const ch = input[i];
    if (ch !== '$') {
      // The text up to the next `$` at once: most values (image references) have none, and a copy
      // character by character was 40 ms of the corpus's Dockerfiles as a file list.
      const dollar = input.indexOf('$', i);
      const end = dollar < 0 ? input.length : dollar;
      out += input.slice(i, end);
      i = end;
      continue;
    }
    const next = input[i + 1];
    if (options.dollarEscape && next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const close = findClose(input, i + 2);
      if (close < 0) return undefined;
      const body = input.slice(i + 2, close);
      const m = NAME.exec(body);
      if (!m) return undefined;
      const name = m[0];
      const op = /^(:?[-+?])/.exec(body.slice(name.length));
      const value = lookup(name);
      usedVariables = true;
      let result: string | undefined;
      let defaultSpan: { start: number; end: number } | undefined;
      let usedDefault = false;
      if (!op) {
        if (body.length !== name.length) return undefined;
        if (value === null || value === undefined) return undefined;
        result = value;
      } else {
        const operator = op[1]!;
        const argStart = i + 2 + name.length + operator.length;
        const argText = body.slice(name.length + operator.length);
        const inner = interpolate(argText, lookup, options);
        if (!inner) return undefined;
        const colon = operator.startsWith(':');
        const kind = operator[operator.length - 1];
        if (value === null) return undefined;
        const isSet = value !== undefined;
        const isEmpty = value === undefined || value === '';
        const useAlternative = colon ? !isEmpty : isSet;
        if (kind === '-') {
          if (useAlternative) result = value ?? '';
          else {
            result = inner.value;
            usedDefault = true;
            if (!inner.usedVariables) defaultSpan = { start: argStart, end: argStart + argText.length };
          }
        } else if (kind === '+') {
          result = useAlternative ? inner.value : '';
        } else {
          if (!useAlternative) return undefined;
          result = value ?? '';
        }
      }
      const token = { start: i, end: close + 1, name, usedDefault, ...(defaultSpan ? { defaultSpan } : {}) };
      tokens.push(token);
      out += result;
      i = close + 1;
      continue;
    }
    const m = NAME.exec(input.slice(i + 1));
    if (!m) {
      out += ch;
      i++;
      continue;
    }
    const value = lookup(m[0]);
    if (value === null || value === undefined) return undefined;
    usedVariables = true;
    tokens.push({ start: i, end: i + 1 + m[0].length, name: m[0], usedDefault: false });
    out += value;
    i += 1 + m[0].length;
  }
  const result: Interpolated = { value: out, usedVariables };
  const only =
    tokens.length === 1 && tokens[0]!.start === 0 && tokens[0]!.end === input.length ? tokens[0]! : undefined;
  if (only) {
    if (only.defaultSpan) result.literalSpan = only.defaultSpan;
    else if (!only.usedDefault) result.fromVariable = only.name;
  }
  return result;
}

function findClose(input: string, from: number): number {
  let depth = 1;
  for (let i = from; i < input.length; i++) {
    if (input[i] === '{') depth++;
    else if (input[i] === '}' && --depth === 0) return i;
  }
  return -1;
}
