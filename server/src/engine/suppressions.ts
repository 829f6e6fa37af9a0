import type { FileKind, Range } from './types';
import type { DocumentModel } from './documentModel';

/**
 * Inline ignore comments:
 * - `# driftguard-ignore <rule>[,<rule>…] [-- reason]` on its own line: the next instruction
 *   (Dockerfile, with all continuation lines), the next command line (shell, with its `\`
 *   continuations) or the next YAML node (Compose).
 * - `# driftguard-ignore-file <rule>[,…]`: the whole file.
 * - Dockerfiles also honour `# hadolint ignore=DL…` and `# hadolint global ignore=DL…` for the codes
 *   that map to DriftGuard rules.
 */
export interface Suppressions {
  fileRules: Set<string>;
  /** Line spans (inclusive, 0-based) where rules are suppressed. */
  spans: Array<{ rules: Set<string>; startLine: number; endLine: number }>;
  /** Rule ids in ignore comments that are not in the catalog, with their ranges. */
  unknownIds: Array<{ id: string; range: Range }>;
}

/** hadolint codes → DriftGuard rule ids (unlisted DL codes are hadolint's own and ignored here). */
export const HADOLINT_CODES: Readonly<Record<string, string>> = {
  DL3006: 'image-untagged',
  DL3007: 'image-latest-tag',
  DL3008: 'package-unpinned',
  DL3013: 'package-unpinned',
  DL3016: 'package-unpinned',
  DL3018: 'package-unpinned',
  DL3028: 'package-unpinned',
  DL3033: 'package-unpinned',
  DL3037: 'package-unpinned',
  DL3041: 'package-unpinned',
  DL3062: 'package-unpinned',
};

const PRAGMA = /^(\s*)#\s*driftguard-ignore(-file)?(?=\s|$)(.*)$/;
const HADOLINT = /^\s*#\s*hadolint\s+(global\s+)?ignore=([A-Za-z0-9,\s]+)/;

export function isSuppressed(s: Suppressions, ruleId: string, line: number): boolean {
  if (s.fileRules.has(ruleId)) return true;
  return s.spans.some((span) => span.rules.has(ruleId) && span.startLine <= line && line <= span.endLine);
}

export function findSuppressions(model: DocumentModel, knownIds: ReadonlySet<string>): Suppressions {
  return model.memo('suppressions', () => {
    const result: Suppressions = { fileRules: new Set(), spans: [], unknownIds: [] };
    const source = model.source;
    const commentLines = commentLinesOf(model);
    for (const line of commentLines) {
      const text = source.lineText(line);
      const pragma = PRAGMA.exec(text);
      if (pragma) {
        const [, , fileWide, rest] = pragma;
        const listText = (rest ?? '').split(/\s--(\s|$)/)[0] ?? '';
        const listStart = text.length - (rest ?? '').length;
        const rules = new Set<string>();
        const idPattern = /[^\s,]+/g;
        for (let m = idPattern.exec(listText); m; m = idPattern.exec(listText)) {
          const id = m[0];
          if (knownIds.has(id)) rules.add(id);
          else {
            const start = listStart + m.index;
            result.unknownIds.push({
              id,
              range: { start: { line, character: start }, end: { line, character: start + id.length } },
            });
          }
        }
        if (fileWide) rules.forEach((r) => result.fileRules.add(r));
        else addSpan(result, model, rules, line, commentLines);
        continue;
      }
      if (model.kind !== 'dockerfile') continue;
      const hadolint = HADOLINT.exec(text);
      if (hadolint) {
        const rules = new Set<string>();
        for (const code of hadolint[2]!.split(/[\s,]+/)) {
          const id = HADOLINT_CODES[code.toUpperCase()];
          if (id) rules.add(id);
        }
        if (hadolint[1]) rules.forEach((r) => result.fileRules.add(r));
        else addSpan(result, model, rules, line, commentLines);
      }
    }
    return result;
  });
}

function addSpan(
  result: Suppressions,
  model: DocumentModel,
  rules: Set<string>,
  commentLine: number,
  commentLines: Set<number>,
): void {
  if (rules.size === 0) return;
  const target = nextTarget(model, commentLine, commentLines);
  if (target) result.spans.push({ rules, startLine: target[0], endLine: target[1] });
}

/** The line span an own-line ignore comment applies to, by file kind. */
function nextTarget(
  model: DocumentModel,
  commentLine: number,
  commentLines: Set<number>,
): [number, number] | undefined {
  const source = model.source;
  let line = commentLine + 1;
  while (line < source.lineCount && (commentLines.has(line) || source.lineText(line).trim() === '')) line++;
  if (line >= source.lineCount) return undefined;
  const kind: FileKind = model.kind;
  if (kind === 'dockerfile') {
    const instruction = model.dockerfile!.instructionAtLine(line);
    return instruction ? [instruction.getRange().start.line, instruction.getRange().end.line] : [line, line];
  }
  if (kind === 'compose') {
    const end = model.compose!.nodeExtentsByLine().get(line);
    return [line, end ?? line];
  }
  let end = line;
  while (end + 1 < source.lineCount && /\\\s*$/.test(source.lineText(end))) end++;
  return [line, end];
}

/** Lines that are whole-line comments in the document's own syntax. */
function commentLinesOf(model: DocumentModel): Set<number> {
  const lines = new Set<number>();
  if (model.kind === 'dockerfile') {
    // A leading `# hadolint ignore=…` has the shape of a parser directive and is parsed as one.
    for (const comment of model.dockerfile!.ast.getComments()) lines.add(comment.getRange().start.line);
    for (const directive of model.dockerfile!.ast.getDirectives()) lines.add(directive.getRange().start.line);
    return lines;
  }
  const source = model.source;
  const blocked = new Set<number>();
  if (model.kind === 'compose' && model.compose!.errors.length === 0) {
    for (const [start, end] of model.compose!.multilineScalarSpans()) {
      for (let l = source.positionAt(start).line + 1; l <= source.positionAt(end).line; l++) blocked.add(l);
    }
  }
  for (let line = 0; line < source.lineCount; line++) {
    if (!blocked.has(line) && /^\s*#/.test(source.lineText(line))) lines.add(line);
  }
  return lines;
}
