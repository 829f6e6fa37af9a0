import type { DocumentModel } from '../engine/documentModel';
import type { ShellAnalysis } from './types';
import { analyseSnippets } from './analyse';

export { initShellAnalyzer, isShellAnalyzerReady } from './parser';
export type { ShellAnalyzerOptions } from './parser';
export type { ShellAnalysis, ShellCommand, ShellRedirect } from './types';
export type { ShellPlace, ShellSnippet } from './snippet';
export type { ShellWord } from './words';

/**
 * The shell analysis of a document: the shell snippets its kind finds (a whole script, Dockerfile
 * RUN/CMD/ENTRYPOINT/HEALTHCHECK, Compose command/entrypoint/healthcheck…), with nested payloads.
 * Parsed once per document (memoised on the model); synchronous once `initShellAnalyzer` has
 * completed, throws before that.
 */
export function shellAnalysis(model: DocumentModel): ShellAnalysis {
  return model.memo('shell', () =>
    analyseSnippets(model.kind.shellSnippets?.(model.parsed, model) ?? [], model.source),
  );
}
