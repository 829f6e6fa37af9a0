import type { ShellWord } from './words';

/** How a program's options are written, enough to find where its operands start. */
export interface OptionSpec {
  /** Short option letters that take a value (`-u root` or `-uroot`). */
  shortValued?: string;
  /** Long options that take a separate value when written without `=` (`--user root`). */
  longValued?: readonly string[];
}

/**
 * Index of the first operand at or after `from`, skipping options and a `--` end marker.
 * A word that is not literal (`$OPTS`) counts as an operand: its meaning is unknown.
 */
export function firstOperand(argv: readonly ShellWord[], from: number, spec: OptionSpec = {}): number {
  let i = from;
  while (i < argv.length) {
    const word = argv[i]!;
    const value = word.value;
    if (!word.literal || !value.startsWith('-') || value === '-') return i;
    if (value === '--') return i + 1;
    if (value.startsWith('--')) {
      i += !value.includes('=') && spec.longValued?.includes(value) ? 2 : 1;
      continue;
    }
    i += shortTakesNext(value, spec.shortValued ?? '') ? 2 : 1;
  }
  return i;
}

/** For a short cluster (`-it`, `-uroot`, `-euxo`): whether its value is the next word. */
function shortTakesNext(cluster: string, valued: string): boolean {
  for (let k = 1; k < cluster.length; k++) {
    if (valued.includes(cluster[k]!)) return k === cluster.length - 1;
  }
  return false;
}

/** Whether any word before `end` is the option (`-g`, `--global`; short letters inside clusters). */
export function hasOption(argv: readonly ShellWord[], names: readonly string[], from = 1, end = argv.length): boolean {
  for (let i = from; i < end; i++) {
    const value = argv[i]!.value;
    if (!argv[i]!.literal) continue;
    if (value === '--') return false;
    for (const name of names) {
      if (value === name || (name.startsWith('--') && value.startsWith(name + '='))) return true;
      if (name.length === 2 && name[0] === '-' && /^-[A-Za-z]+$/.test(value) && value.includes(name[1]!)) return true;
    }
  }
  return false;
}

/** Value of a valued option (`-v 1.2`, `-v1.2`, `--version=1.2`, `--version 1.2`), if present. */
export function optionValue(
  argv: readonly ShellWord[],
  names: readonly string[],
  from = 1,
): ShellWord | string | undefined {
  for (let i = from; i < argv.length; i++) {
    const value = argv[i]!.value;
    if (value === '--') return undefined;
    for (const name of names) {
      if (value === name) return argv[i + 1];
      if (name.startsWith('--') && value.startsWith(name + '=')) return value.slice(name.length + 1);
      if (!name.startsWith('--') && value.startsWith(name) && value.length > name.length)
        return value.slice(name.length);
    }
  }
  return undefined;
}
