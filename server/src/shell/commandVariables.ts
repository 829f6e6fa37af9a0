import type { ShellWord } from './words';
import { DocumentWord } from './words';
import type { SourceText } from '../model/positions';

/**
 * Commands and paths a script keeps in variables, assigned in the same snippet before their use:
 * `docker_path=$(which docker)` … `$docker_path commit`, `dc="docker compose"; dcx="$dc exec"` …
 * `$dcx svc apk add`, `CONF=/etc/docker/daemon.json` … `cat > "$CONF"`, and helpers that run their
 * arguments (`run() { echo "+ $*"; "$@"; }` … `run cp x /etc/y`). Only plain values count: a
 * literal, other such variables (or the default of `${NAME:-docker}`), or where a program is
 * (`$(which X)`, `$(command -v X)`, the fallback of `which A || which B`). Uses resolve in document
 * order, the latest assignment before the use winning, so a piece of the script and everything
 * before it resolve alike.
 */
export class CommandVariables {
  private readonly commands = new Map<string, readonly string[]>();
  private readonly paths = new Map<string, string>();
  private readonly runners = new Set<string>();
  /** The changes made since `takeChanges` was last called. */
  private changes: VariableChange[] = [];

  /**
   * Starts from the variables a sourced file sets (see `SourcedVariables`), then `changes` (those
   * earlier statements made, as `takeChanges` gave them); own assignments come after.
   */
  constructor(inherited?: SourcedVariables, changes: readonly VariableChange[] = []) {
    if (inherited) {
      for (const [name, words] of inherited.commands) this.commands.set(name, [...words]);
      for (const [name, path] of inherited.paths) this.paths.set(name, path);
      for (const name of inherited.runners) this.runners.add(name);
    }
    for (const change of changes) this.apply(change);
  }

  /**
   * The changes assignments and helpers made since the last call, in order, as data: replayed on
   * the same variables (the constructor's `changes`), they give the same variables again.
   */
  takeChanges(): VariableChange[] {
    const changes = this.changes;
    if (changes.length > 0) this.changes = [];
    return changes;
  }

  /** What these variables are now, as plain data. */
  snapshot(): SourcedVariables {
    return {
      commands: [...this.commands].map(([name, words]): [string, string[]] => [name, [...words]]),
      paths: [...this.paths],
      runners: [...this.runners],
    };
  }

  /**
   * Records `name=value` (`value`: the decoded value, expansions as written; `written`: the value's
   * source text). Returns whether the assignment names a command or a path uses may resolve to.
   */
  assign(name: string, value: ShellWord, written: string): boolean {
    const located = locatedProgram(written);
    if (located) {
      this.change({ set: 'command', name, value: [located] });
      return true;
    }
    const text = this.substituted(value);
    if (text === undefined) {
      this.forget(name);
      return false;
    }
    if (ABSOLUTE_PATH.test(text)) {
      // `/usr/bin/docker` may be run; `/etc/app/` is only a folder.
      if (!text.endsWith('/')) this.change({ set: 'command', name, value: [text] });
      else if (this.commands.has(name)) this.change({ unset: 'command', name });
      this.change({ set: 'path', name, value: text });
      return true;
    }
    const words = commandWords(text);
    if (words) {
      if (this.paths.has(name)) this.change({ unset: 'path', name });
      this.change({ set: 'command', name, value: words });
      return true;
    }
    // `docker_path=true` (a dry run) or an empty value: earlier commands stay as they were.
    if (!NOT_COMMANDS.has(text.trim().split(/\s+/)[0] ?? '')) this.forget(name);
    return false;
  }

  /** Records a function whose body runs its arguments as a command (`"$@"`). */
  addRunner(name: string): void {
    this.change({ set: 'runner', name });
  }

  /**
   * The command words with a leading command variable replaced by its words, or a helper that runs
   * its arguments dropped; `words` unchanged when nothing applies. Replacements point at the
   * variable's own characters.
   */
  resolveCommand(words: readonly ShellWord[], source: SourceText): readonly ShellWord[] {
    let current = words;
    for (let guard = 0; guard < 4 && current.length > 0; guard++) {
      const first = current[0]!;
      if (first.literal && this.runners.has(first.value) && current.length > 1) {
        current = current.slice(1);
        continue;
      }
      const name = first.literal ? undefined : variableOf(first.value);
      const fallback = first.literal ? undefined : withDefault(first.value);
      const replacement =
        name !== undefined
          ? this.commands.get(name)
          : fallback
            ? (this.commands.get(fallback.name) ?? commandWords(fallback.value))
            : locatedProgram(first.value.replace(/^"(.*)"$/, '$1'));
      const program = typeof replacement === 'string' ? [replacement] : replacement;
      if (!program) return current;
      return [...program.map((value) => synthetic(value, first, source)), ...current.slice(1)];
    }
    return current;
  }

  /** A word that is only a path variable (`"$CONF"`, `${CONF}`), as the path; other words unchanged. */
  resolvePath(word: ShellWord, source: SourceText): ShellWord {
    if (word.literal) return word;
    const name = variableOf(word.value);
    const path = name !== undefined ? this.paths.get(name) : undefined;
    return path === undefined ? word : synthetic(path, word, source);
  }

  private forget(name: string): void {
    if (this.commands.has(name)) this.change({ unset: 'command', name });
    if (this.paths.has(name)) this.change({ unset: 'path', name });
  }

  private change(change: VariableChange): void {
    this.apply(change);
    this.changes.push(change);
  }

  private apply(change: VariableChange): void {
    if ('unset' in change) {
      if (change.unset === 'command') this.commands.delete(change.name);
      else this.paths.delete(change.name);
    } else if (change.set === 'command') this.commands.set(change.name, change.value);
    else if (change.set === 'path') this.paths.set(change.name, change.value);
    else this.runners.add(change.name);
  }

  /**
   * The value with command and path variables put in (`$dc exec` → `docker compose exec`); undefined
   * if any other expansion is left.
   */
  private substituted(value: ShellWord): string | undefined {
    if (value.literal) return value.value;
    const text = value.value.replace(
      /\$(?:\{([A-Za-z_]\w*)(?::?[-=]([^}$`]*))?\}|([A-Za-z_]\w*))/g,
      (whole, braced: string | undefined, fallback: string | undefined, plain: string | undefined) =>
        this.valueOf((braced ?? plain)!) ?? fallback ?? whole,
    );
    return /[$`]/.test(text) ? undefined : text;
  }

  /** A command or path variable's value as text, if it is one. */
  private valueOf(name: string): string | undefined {
    return this.commands.get(name)?.join(' ') ?? this.paths.get(name);
  }
}

/**
 * The command and path variables and the helpers that run their arguments a script sets at its top
 * level, as plain data: what a script that sources it (`. ./env.sh`) starts with.
 */
export interface SourcedVariables {
  commands: ReadonlyArray<readonly [string, readonly string[]]>;
  paths: ReadonlyArray<readonly [string, string]>;
  runners: readonly string[];
}

/** The command and path variables a script's top level works with, besides its own assignments. */
export interface ScriptVariables {
  /** What the files it sources set (see `SourcedVariables`): the script starts with them. */
  sourced?: SourcedVariables;
  /**
   * A piece of a script analysed alone (incremental linting): from the first top-level statement at
   * or after document offset `offset` on, the variables are `sourced` with `changes` made to them
   * (those the whole script's statements before the piece made), whatever the text before says.
   */
  from?: VariablesFrom;
}

export interface VariablesFrom {
  offset: number;
  changes: readonly VariableChange[];
}

/**
 * One change a statement makes to a script's command and path variables (see `CommandVariables`).
 * Plain data: a piece of a script can be analysed with the variables the statements before it left,
 * without their text (incremental linting keeps these per statement).
 */
export type VariableChange =
  | { readonly set: 'command'; readonly name: string; readonly value: readonly string[] }
  | { readonly set: 'path'; readonly name: string; readonly value: string }
  | { readonly set: 'runner'; readonly name: string }
  | { readonly unset: 'command' | 'path'; readonly name: string };

/** Whether two lists of changes are the same, change for change. */
export function sameChanges(a: readonly VariableChange[], b: readonly VariableChange[]): boolean {
  return a.length === b.length && (a.length === 0 || JSON.stringify(a) === JSON.stringify(b));
}

/** Whether two sets of sourced variables are the same (none and empty alike). */
export function sameSourcedVariables(a: SourcedVariables | undefined, b: SourcedVariables | undefined): boolean {
  const key = (v: SourcedVariables | undefined) =>
    v ? JSON.stringify([v.commands, v.paths, v.runners]) : '[[],[],[]]';
  return key(a) === key(b);
}

/** `$NAME` or `${NAME}` alone. */
function variableOf(value: string): string | undefined {
  const match = /^\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))$/.exec(value);
  return match ? (match[1] ?? match[2]) : undefined;
}

/**
 * `${NAME:-default}`, `${NAME-default}`, `${NAME:=default}` alone, with a plain default: the command
 * the script runs unless its caller sets NAME (`${CONTAINER_ENGINE:-docker} run …`).
 */
function withDefault(value: string): { name: string; value: string } | undefined {
  const match = /^\$\{([A-Za-z_]\w*):?[-=]([^}$`]*)\}$/.exec(value);
  return match ? { name: match[1]!, value: match[2]! } : undefined;
}

/** A plain value's words when it names a program (`docker`, `docker compose`); otherwise undefined. */
function commandWords(text: string): string[] | undefined {
  const words = text.split(/\s+/).filter((w) => w !== '');
  return words.length > 0 && PROGRAM.test(words[0]!) && !NOT_COMMANDS.has(words[0]!) ? words : undefined;
}

const PROGRAM = /^(?:[\w.+-]+|\/[\w./+-]+)$/;
const ABSOLUTE_PATH = /^\/[\w./@+-]*$/;
/** Values that stand for no command (dry runs, switches) or only print. */
const NOT_COMMANDS = new Set(['true', 'false', ':', 'echo', 'printf', 'yes', 'no', '0', '1']);

const LOCATOR = String.raw`(?:which|command\s+-v|type\s+-[pP])\s+([\w.+-]+)(?:\s+[12]?>\s*/dev/null|\s+2>&1)*\s*`;
const LOCATED = new RegExp(String.raw`^\s*(?:\$\(|\x60)((?:\s*${LOCATOR}\|\|)*\s*${LOCATOR})(?:\)|\x60)\s*$`);

/**
 * The program a `$(which X)`, `$(command -v X)` or backquoted lookup finds; of `which A || which
 * B` the fallback B (`which docker.io || which docker` is docker). Quotes around it are allowed.
 */
function locatedProgram(written: string): string | undefined {
  // A lookup is a substitution: text with neither `$(` nor a backquote (most values and command words) holds none.
  if (!written.includes('$(') && !written.includes('`')) return undefined;
  const unquoted = written.replace(/^"(.*)"$/s, '$1');
  const match = LOCATED.exec(unquoted);
  if (!match) return undefined;
  const names = [...match[1]!.matchAll(new RegExp(LOCATOR, 'g'))].map((m) => m[1]!);
  return names[names.length - 1];
}

/** A literal word standing where `at` is written. */
function synthetic(value: string, at: ShellWord, source: SourceText): ShellWord {
  const offsets = Array.from({ length: value.length + 1 }, (_, i) => at.offsets[Math.min(i, at.offsets.length - 1)]!);
  return new DocumentWord(
    { value, offsets, start: at.start, end: at.end, literal: true, type: 'word', substitutions: [] },
    source,
  );
}
