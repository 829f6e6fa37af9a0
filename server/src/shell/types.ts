import type { ExecutionContext, Range } from '../engine/types';
import type { ShellPlace, ShellSnippet } from './snippet';
import type { ShellWord } from './words';
import type { VariableChange } from './commandVariables';

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
   * Where the command's statement sits among its siblings as written, for fixes that remove it.
   * Set for commands written in an editable snippet (see ShellSnippet.editable) that are not piped.
   */
  siblings?: StatementSiblings;
  /** A heredoc fed to the command's standard input (`ssh host <<'EOF'`, `bash <<EOF`). */
  stdin?: ShellWord;
  snippet: ShellSnippet;
  /** How far a change the command makes to the shell itself (`cd`) reaches in its snippet: see ShellScope. */
  scope: ShellScope;
  /** For scope `subshell`: the range of the subshell, pipeline, substitution or function the change ends with. */
  scopeRange?: Range;
}

/**
 * Where a command stands in its snippet, for the state it changes in the shell running it (`cd`):
 * `snippet` — a statement of the snippet itself (only `&&`/`||` lists and redirections around it),
 * so the change holds for every later statement; `branch` — in a branch, loop or `{ … }` group, so
 * it may hold; `subshell` — in a subshell, pipeline, substitution, function body or a payload run
 * elsewhere, so it ends there.
 */
export type ShellScope = 'snippet' | 'branch' | 'subshell';

/**
 * A statement among its siblings: the items and operators of the `&&`/`||` list it is in (nested
 * lists flattened), or else the children of its parent (statements, comments, `;`, `&`, keywords).
 * Offsets are into the snippet's text, so the same snippet text gives equal siblings wherever it sits.
 */
export interface StatementSiblings {
  kind: 'list' | 'block';
  parts: readonly StatementPart[];
  /** Index of the statement itself in `parts`. */
  index: number;
}

/** A child node as written: a statement or comment (named), or a token such as `&&`, `;` or `then`. */
export interface StatementPart {
  type: string;
  named: boolean;
  /** Offsets [start, end) in the snippet's text. */
  start: number;
  end: number;
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
  /**
   * The changes its assignments and helpers make to the command and path variables later commands
   * resolve through (see `CommandVariables`), in order; none: it changes none.
   */
  variables?: VariableChange[];
}
