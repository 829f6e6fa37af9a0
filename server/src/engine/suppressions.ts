import type { Range } from './types';
import type { DocumentModel } from './documentModel';
import { escapeRegExp } from '../kinds/lines';
import { closestWord } from '../text/suggest';

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
  /**
   * Rule ids in ignore comments that are not known, with their ranges and the known id each most
   * likely means (a typo, or part of an id), when one is close.
   */
  unknownIds: Array<{ id: string; range: Range; suggestion?: string }>;
}

const PRAGMAS = new Map<string, RegExp>();

/** `<token> driftguard-ignore[-file] …` on its own line, for a comment token. */
function pragmaPattern(token: string): RegExp {
  let pattern = PRAGMAS.get(token);
  if (!pattern) {
    pattern = new RegExp(`^(\\s*)${escapeRegExp(token)}\\s*driftguard-ignore(-file)?(?=\\s|$)(.*)$`);
    PRAGMAS.set(token, pattern);
  }
  return pattern;
}

export function isSuppressed(s: Suppressions, ruleId: string, line: number): boolean {
  if (s.fileRules.has(ruleId)) return true;
  return s.spans.some((span) => span.rules.has(ruleId) && span.startLine <= line && line <= span.endLine);
}

export function findSuppressions(model: DocumentModel, knownIds: ReadonlySet<string>): Suppressions {
  return model.memo('suppressions', () => {
    const result: Suppressions = { fileRules: new Set(), spans: [], unknownIds: [] };
    const source = model.source;
    const comments = model.kind.comments;
    const commentLines = comments.commentLines(model.parsed, model);
    const pragmaOf = pragmaPattern(comments.token);
    for (const line of commentLines) {
      const text = source.lineText(line);
      const pragma = pragmaOf.exec(text);
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
            const suggestion = closestWord(id, knownIds);
            result.unknownIds.push({
              id,
              range: { start: { line, character: start }, end: { line, character: start + id.length } },
              ...(suggestion ? { suggestion } : {}),
            });
          }
        }
        if (fileWide) rules.forEach((r) => result.fileRules.add(r));
        else addSpan(result, model, rules, line, commentLines);
        continue;
      }
      const foreign = comments.foreignIgnore?.(text);
      if (foreign) {
        if (foreign.fileWide) foreign.rules.forEach((r) => result.fileRules.add(r));
        else addSpan(result, model, foreign.rules, line, commentLines);
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

/** The line span an own-line ignore comment applies to: the next statement, as the kind delimits it. */
function nextTarget(
  model: DocumentModel,
  commentLine: number,
  commentLines: Set<number>,
): [number, number] | undefined {
  const source = model.source;
  let line = commentLine + 1;
  while (line < source.lineCount && (commentLines.has(line) || source.lineText(line).trim() === '')) line++;
  if (line >= source.lineCount) return undefined;
  return model.kind.comments.ignoreTarget(model.parsed, model, line);
}
