import type { Fix, Problem, Range } from './types';
import type { DocumentModel } from './documentModel';
import { escapeRegExp } from '../kinds/lines';

/** Where a new ignore comment asks for the reason: a tab stop where the client takes snippets. */
const REASON_SNIPPET = ' -- ${1:reason}';
const REASON_PLAIN = ' -- reason';

/**
 * "Ignore <rule> on this line" and "… in this file" as edits in the document's own comment syntax.
 * A new comment ends in `-- reason` for the author to fill in (the reason is what a reviewer reads).
 * The line comment goes above the statement that holds the problem (the whole Dockerfile instruction,
 * the first line of a continued shell command, the YAML line) with that line's indentation; an
 * existing `driftguard-ignore` comment right above is extended instead of stacking a second one.
 */
export function ignoreFixes(model: DocumentModel, problem: Problem): Fix[] {
  return [ignoreLineFix(model, problem), ignoreFileFix(model, problem)];
}

function ignoreLineFix(model: DocumentModel, problem: Problem): Fix {
  const source = model.source;
  const comments = model.kind.comments;
  const line = comments.statementStart(model.parsed, model, problem.range.start.line);
  const title = `Ignore ${problem.ruleId} on this line`;
  const above = line > 0 ? source.lineText(line - 1) : undefined;
  const existing = above !== undefined ? patterns(comments.token).line.exec(above) : null;
  if (existing && !existing[2]!.split(',').includes(problem.ruleId)) {
    const at = { line: line - 1, character: existing[1]!.length + existing[2]!.length };
    return { title, edits: [{ range: { start: at, end: at }, newText: `,${problem.ruleId}` }] };
  }
  if (existing) return { title, edits: [] };
  const indent = /^\s*/.exec(source.lineText(line))![0];
  const eol = source.text.includes('\r\n') ? '\r\n' : '\n';
  const at = { line, character: 0 };
  return withReason(
    title,
    { start: at, end: at },
    `${indent}${comments.token} driftguard-ignore ${problem.ruleId}`,
    eol,
  );
}

/** A new comment `text -- reason` + `eol` at `range`: a snippet with the reason as its tab stop. */
function withReason(title: string, range: Range, text: string, eol: string): Fix {
  return {
    title,
    edits: [{ range, newText: `${text}${REASON_SNIPPET}${eol}` }],
    snippet: true,
    plainEdits: [{ range, newText: `${text}${REASON_PLAIN}${eol}` }],
  };
}

function ignoreFileFix(model: DocumentModel, problem: Problem): Fix {
  const source = model.source;
  const title = `Ignore ${problem.ruleId} in this file`;
  const eol = source.text.includes('\r\n') ? '\r\n' : '\n';
  const comments = model.kind.comments;
  const line = comments.fileIgnoreLine(model.parsed, model);
  const token = comments.token;
  for (let l = line; l < source.lineCount; l++) {
    const m = patterns(token).file.exec(source.lineText(l));
    if (!m) continue;
    if (m[2]!.split(',').includes(problem.ruleId)) return { title, edits: [] };
    const at = { line: l, character: m[1]!.length + m[2]!.length };
    return { title, edits: [{ range: { start: at, end: at }, newText: `,${problem.ruleId}` }] };
  }
  const at = { line, character: 0 };
  if (line >= source.lineCount) {
    const end = source.positionAt(source.text.length);
    const prefix = source.text.length > 0 && !/\r?\n$/.test(source.text) ? eol : '';
    return withReason(title, { start: end, end }, `${prefix}${token} driftguard-ignore-file ${problem.ruleId}`, eol);
  }
  return withReason(title, { start: at, end: at }, `${token} driftguard-ignore-file ${problem.ruleId}`, eol);
}

const PATTERNS = new Map<string, { line: RegExp; file: RegExp }>();

/** Existing ignore comments, for a comment token: own-line (indented) and file-wide (first column). */
function patterns(token: string): { line: RegExp; file: RegExp } {
  let found = PATTERNS.get(token);
  if (!found) {
    const t = escapeRegExp(token);
    found = {
      line: new RegExp(`^(\\s*${t}\\s*driftguard-ignore\\s+)([^\\s]+)(.*)$`),
      file: new RegExp(`^(${t}\\s*driftguard-ignore-file\\s+)([^\\s]+)`),
    };
    PATTERNS.set(token, found);
  }
  return found;
}
