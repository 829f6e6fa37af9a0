/** ANSI styles for the text report; every function is the identity when colour is off. */
export interface Palette {
  bold: (text: string) => string;
  dim: (text: string) => string;
  underline: (text: string) => string;
  red: (text: string) => string;
  yellow: (text: string) => string;
  cyan: (text: string) => string;
  green: (text: string) => string;
}

const style =
  (open: number, close: number) =>
  (text: string): string =>
    `\u001b[${open}m${text}\u001b[${close}m`;

const ANSI: Palette = {
  bold: style(1, 22),
  dim: style(2, 22),
  underline: style(4, 24),
  red: style(31, 39),
  yellow: style(33, 39),
  cyan: style(36, 39),
  green: style(32, 39),
};

const identity = (text: string): string => text;
const PLAIN: Palette = {
  bold: identity,
  dim: identity,
  underline: identity,
  red: identity,
  yellow: identity,
  cyan: identity,
  green: identity,
};

export function palette(color: boolean): Palette {
  return color ? ANSI : PLAIN;
}

/**
 * Whether to colour output written to `stream`. `--no-color` and `--color` win; then `NO_COLOR`
 * (any non-empty value turns colour off, see no-color.org) and `FORCE_COLOR` (for CI logs that
 * render colour although they are not terminals); otherwise only a terminal that is not `dumb`.
 */
export function wantsColor(flag: boolean | undefined, env: NodeJS.ProcessEnv, stream: { isTTY?: boolean }): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0';
  return !!stream.isTTY && env.TERM !== 'dumb';
}
