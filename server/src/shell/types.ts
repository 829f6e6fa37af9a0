import type { ExecutionContext, Range } from '../engine/types';
import type { ShellPlace, ShellSnippet } from './snippet';
import type { ShellWord } from './words';

/**
 * One simple command as the program sees it. Commands reached through a nested payload
 * (`ssh host '…'`, `docker exec c …`, `sh -c '…'`) are separate ShellCommands with their own place;
 * the outer command (`ssh`, `docker`, `sh`) is reported too, so rules match on `argv[0]` only.
 */
export interface ShellCommand {
  /** The words the program receives, wrappers (`sudo`, `env X=1`, `$STD`, …) removed; argv[0] is the program. */
  argv: ShellWord[];
  /** Wrapper programs seen through, outermost first (`sudo`, `env`, `xargs`, …). */
  wrappers: string[];
  place: ShellPlace;
  context: ExecutionContext;
  /** Document range of the command as written, wrappers included. */
  range: Range;
  /** The pipeline this command belongs to (itself included), in order; absent when not piped. */
  pipeline?: ShellCommand[];
  /**
   * Document range whose deletion removes this command from its `&&` or `;` chain and leaves a
   * valid chain (set only for package-manager commands written directly in the document, when such
   * a span exists: only `package-upgrade` removes commands).
   */
  removal?: Range;
  /** A heredoc fed to the command's standard input (`ssh host <<'EOF'`, `bash <<EOF`). */
  stdin?: ShellWord;
  snippet: ShellSnippet;
}

/**
 * Every field of T written out, optional ones included (as undefined when absent): an object literal
 * that `satisfies` it cannot leave a field out, and all such objects of one type share one shape.
 */
export type Complete<T> = { [K in keyof Required<T>]: T[K] };

/** An output redirection (`>`, `>>`, `&>`, `>|`) and the file it writes. */
export interface ShellRedirect {
  operator: string;
  target: ShellWord;
  place: ShellPlace;
  context: ExecutionContext;
  /** Document range of the whole redirection (`> /etc/hosts`). */
  range: Range;
}

/** Everything the shell rules read from one document. */
export interface ShellAnalysis {
  /** Every command, in document order of discovery (outer commands before their payloads). */
  commands: ShellCommand[];
  redirects: ShellRedirect[];
  /**
   * For a shell script document: its top-level statements (comments excluded) as document offset
   * spans [start, end), each with whether it may be affected by a syntax error (it contains one, or
   * comes after a top-level error the parser could not attribute). Incremental linting uses them
   * as the units it can re-analyse alone.
   */
  script?: { statements: ScriptStatement[] };
  /** The commands each analysed top-level snippet gave (its nested payloads' included), in order. */
  commandsBySnippet: Map<ShellSnippet, ShellCommand[]>;
}

/** A top-level statement of a script: document offsets [start, end). */
export interface ScriptStatement {
  start: number;
  end: number;
  /** It may be affected by a syntax error (it contains one, or follows one the parser could not place). */
  hasError: boolean;
  /** It assigns a variable later commands use as a command or a path, or defines a helper that runs its arguments. */
  definesNames?: boolean;
}
