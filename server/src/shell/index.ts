import type { DocumentModel } from '../engine/documentModel';
import type { ShellAnalysis } from './types';
import type { ShellSnippet } from './snippet';
import { SnippetBuilder } from './snippet';
import { analyseSnippets } from './analyse';
import { dockerfileShell } from './embed/dockerfile';
import { composeShell } from './embed/compose';

export { initShellAnalyzer, isShellAnalyzerReady } from './parser';
export type { ShellAnalyzerOptions } from './parser';
export type { ShellAnalysis, ShellCommand, ShellRedirect } from './types';
export type { ShellPlace, ShellSnippet } from './snippet';
export type { ShellWord } from './words';

/**
 * The shell analysis of a document: shell scripts, Dockerfile RUN/CMD/ENTRYPOINT/HEALTHCHECK and
 * Compose command/entrypoint/healthcheck, with nested payloads. Parsed once per document (memoised
 * on the model); synchronous once `initShellAnalyzer` has completed, throws before that.
 */
export function shellAnalysis(model: DocumentModel): ShellAnalysis {
  return model.memo('shell', () => analyseSnippets(documentSnippets(model), model.source));
}

function documentSnippets(model: DocumentModel): ShellSnippet[] {
  if (model.kind === 'dockerfile') return dockerfileShell(model.dockerfile!).flatMap((i) => i.snippets);
  if (model.kind === 'compose') return composeShell(model.compose!);
  const text = model.source.text;
  const place =
    model.shellContext === 'build' ? 'image' : model.scriptRole === 'entrypoint' ? 'container-start' : 'host';
  return [
    new SnippetBuilder()
      .copy(text, 0, text.length)
      .build(text.length, { place, origin: 'script', editable: true, depth: 0 }),
  ];
}
