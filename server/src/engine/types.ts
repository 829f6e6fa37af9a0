import type { Range, TextEdit } from 'vscode-languageserver-types';

export type { Range, TextEdit, Position } from 'vscode-languageserver-types';

export type { FileKind } from '../kinds';

/** Configured severity of a rule; `off` disables it. */
export type Severity = 'off' | 'hint' | 'info' | 'warning' | 'error';
export type ReportedSeverity = Exclude<Severity, 'off'>;

/** Named rule sets a configuration can extend. */
export type Preset = 'recommended' | 'strict';

/**
 * Where a piece of shell runs. `build`: while an image is built (Dockerfile RUN, build scripts);
 * `live`: against a running machine or container (ssh payloads, docker exec, CMD/ENTRYPOINT,
 * Compose commands, scripts not known to be part of a build); `ephemeral`: on a machine thrown
 * away after the run (a CI runner, a `docker run --rm` container, a dev container rebuilt from its
 * definition), which no one patches in place — what such a script does to *other* machines (over
 * ssh, `docker exec`, `kubectl`) is still live.
 */
export type ExecutionContext = 'build' | 'live' | 'ephemeral';

/**
 * A change that resolves or suppresses a problem. `edits` are document ranges of the linted text;
 * when `snippet` is true, `newText` uses LSP snippet syntax (`${1:placeholder}`) and hosts that cannot
 * apply snippets use `plainEdits` instead.
 */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /** Set when the edit should be offered as the preferred quick fix. */
  preferred?: boolean;
  snippet?: boolean;
  plainEdits?: TextEdit[];
}

/** One finding of one rule in one document. Ranges are 0-based, UTF-16 code units (LSP). */
export interface Problem {
  ruleId: string;
  severity: ReportedSeverity;
  message: string;
  range: Range;
  /** Fixes the rule itself offers (ignore comments are added by the hosts, not here). */
  fixes: Fix[];
  /** The message's id in the rule's `meta.messages`. */
  messageId: string;
  /** What the rule's host fixes need, e.g. the image reference to pin (see `RuleMeta.hostFixes`). */
  hostData?: Record<string, unknown>;
}
