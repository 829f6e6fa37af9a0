import type { Fix, Problem } from './types';
import type { DocumentModel } from './documentModel';

/**
 * "Ignore <rule> on this line" and "… in this file" as edits in the document's own comment syntax.
 * The line comment goes above the statement that holds the problem (the whole Dockerfile instruction,
 * the first line of a continued shell command, the YAML line) with that line's indentation; an
 * existing `driftguard-ignore` comment right above is extended instead of stacking a second one.
 */
export function ignoreFixes(model: DocumentModel, problem: Problem): Fix[] {
  return [ignoreLineFix(model, problem), ignoreFileFix(model, problem)];
}

function ignoreLineFix(model: DocumentModel, problem: Problem): Fix {
  const source = model.source;
  const line = statementStartLine(model, problem.range.start.line);
  const title = `Ignore ${problem.ruleId} on this line`;
  const above = line > 0 ? source.lineText(line - 1) : undefined;
  const existing = above !== undefined ? /^(\s*#\s*driftguard-ignore\s+)([^\s]+)(.*)$/.exec(above) : null;
  if (existing && !existing[2]!.split(',').includes(problem.ruleId)) {
    const at = { line: line - 1, character: existing[1]!.length + existing[2]!.length };
    return { title, edits: [{ range: { start: at, end: at }, newText: `,${problem.ruleId}` }] };
  }
  if (existing) return { title, edits: [] };
  const indent = /^\s*/.exec(source.lineText(line))![0];
  const eol = source.text.includes('\r\n') ? '\r\n' : '\n';
  const at = { line, character: 0 };
  return {
    title,
    edits: [{ range: { start: at, end: at }, newText: `${indent}# driftguard-ignore ${problem.ruleId}${eol}` }],
  };
}

function ignoreFileFix(model: DocumentModel, problem: Problem): Fix {
  const source = model.source;
  const title = `Ignore ${problem.ruleId} in this file`;
  const eol = source.text.includes('\r\n') ? '\r\n' : '\n';
  let line = 0;
  if (model.kind === 'dockerfile') {
    // Parser directives must stay first: a comment above them turns them into plain comments.
    for (const directive of model.dockerfile!.ast.getDirectives())
      line = Math.max(line, directive.getRange().end.line + 1);
  } else if (source.lineCount > 0 && source.lineText(0).startsWith('#!')) {
    line = 1;
  }
  for (let l = line; l < source.lineCount; l++) {
    const m = /^(#\s*driftguard-ignore-file\s+)([^\s]+)/.exec(source.lineText(l));
    if (!m) continue;
    if (m[2]!.split(',').includes(problem.ruleId)) return { title, edits: [] };
    const at = { line: l, character: m[1]!.length + m[2]!.length };
    return { title, edits: [{ range: { start: at, end: at }, newText: `,${problem.ruleId}` }] };
  }
  const at = { line, character: 0 };
  if (line >= source.lineCount) {
    const end = source.positionAt(source.text.length);
    const prefix = source.text.length > 0 && !/\r?\n$/.test(source.text) ? eol : '';
    return {
      title,
      edits: [{ range: { start: end, end }, newText: `${prefix}# driftguard-ignore-file ${problem.ruleId}${eol}` }],
    };
  }
  return {
    title,
    edits: [{ range: { start: at, end: at }, newText: `# driftguard-ignore-file ${problem.ruleId}${eol}` }],
  };
}

function statementStartLine(model: DocumentModel, line: number): number {
  if (model.kind === 'dockerfile') {
    const instruction = model.dockerfile!.instructionAtLine(line);
    return instruction ? instruction.getRange().start.line : line;
  }
  if (model.kind === 'shell') {
    let start = line;
    while (start > 0 && /\\\s*$/.test(model.source.lineText(start - 1))) start--;
    return start;
  }
  return line;
}
