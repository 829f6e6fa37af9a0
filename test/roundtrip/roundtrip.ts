import { Lexer, parseDocument } from 'yaml';
import { DockerfileParser } from 'dockerfile-ast';
import { ParseError, parseTree, printParseErrorCode, visit } from 'jsonc-parser';
import type { FileKind, Fix, Problem } from '../../server/src/engine/types';
import type { LintInput } from '../../server/src/engine/settings';
import { testBashParser, testEngine } from '../helpers/engine';
import { ignoreFixes } from '../../server/src/engine/ignoreFixes';
import { applyEdits, nonOverlapping } from '../../server/src/engine/fixes';
import { SourceText } from '../../server/src/model/positions';
import { fixEdits, STRICT } from '../fuzz/harness';

/**
 * Fix round-trip: every offline fix (the rule's own fixes and the two ignore fixes) applied to a
 * file must (1) leave a file that parses as before (YAML: no errors, every comment, anchor
 * and alias kept), (2) remove the finding it targets, (3) add no other finding, (4) be idempotent:
 * the ignore fix recomputed on the result changes nothing, and fix-all reaches a fixed point.
 */
export interface RoundTripResult {
  fixesApplied: number;
  failures: string[];
}

type Counts = Map<string, number>;
const keyOf = (p: Problem) => `${p.ruleId}\u0000${p.message}`;
function counts(problems: readonly Problem[]): Counts {
  const map: Counts = new Map();
  for (const p of problems) map.set(keyOf(p), (map.get(keyOf(p)) ?? 0) + 1);
  return map;
}

interface Structure {
  ok: boolean;
  facts: string[];
  error?: string;
}

/** YAML: no errors, and every comment, anchor and alias kept. */
function yamlStructure(text: string): Structure {
  const doc = parseDocument(text, { merge: true, uniqueKeys: false, strict: false, prettyErrors: false });
  if (doc.errors.length > 0) return { ok: false, facts: [], error: doc.errors[0]!.message.split('\n')[0] };
  const facts: string[] = [];
  for (const token of new Lexer().lex(text)) {
    if (token.startsWith('#') || token.startsWith('&') || token.startsWith('*')) facts.push(token.replace(/\r$/, ''));
  }
  return { ok: true, facts };
}

/** JSON with comments: no syntax errors, and every comment kept. */
function jsoncStructure(text: string): Structure {
  const errors: ParseError[] = [];
  const facts: string[] = [];
  visit(text, { onComment: (offset, length) => facts.push(text.slice(offset, offset + length)) });
  parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  return errors.length > 0
    ? { ok: false, facts: [], error: printParseErrorCode(errors[0]!.error) }
    : { ok: true, facts };
}

function bashStructure(text: string): Structure {
  const tree = testBashParser().parse(text);
  try {
    return { ok: !tree.rootNode.hasError, facts: [] };
  } finally {
    tree.delete();
  }
}

/** What must survive a fix unchanged, per kind (the compiler asks for a new kind's). */
const STRUCTURE: Record<FileKind, (text: string) => Structure> = {
  dockerfile: (text) => ({
    ok: true,
    facts: DockerfileParser.parse(text)
      .getInstructions()
      .map((i) => i.getKeyword()),
  }),
  compose: yamlStructure,
  shell: bashStructure,
  workflow: yamlStructure,
  action: yamlStructure,
  'gitlab-ci': yamlStructure,
  devcontainer: jsoncStructure,
};

/** Multiset difference: facts of `before` missing from `after`. */
function missing(before: readonly string[], after: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const f of after) left.set(f, (left.get(f) ?? 0) + 1);
  const gone: string[] = [];
  for (const f of before) {
    const n = left.get(f) ?? 0;
    if (n === 0) gone.push(f);
    else left.set(f, n - 1);
  }
  return gone;
}

function newlines(s: string): number {
  return (s.match(/\r\n|\r|\n/g) ?? []).length;
}

/** Round-trips every fix of every problem in one file (at most `maxProblems` problems). */
export function roundTripFile(uri: string, kind: FileKind, text: string, maxProblems = 40): RoundTripResult {
  const result: RoundTripResult = { fixesApplied: 0, failures: [] };
  const input: LintInput = { uri, text, kind, settings: STRICT };
  const before = testEngine().lint(input);
  if (before.skipped) return result;
  const model = before.model;
  const shape = STRUCTURE[kind](text);
  const beforeCounts = counts(before.problems);
  const fail = (what: string, fix: Fix, problem: Problem) =>
    result.failures.push(`${uri}:${problem.range.start.line + 1}: ${problem.ruleId} "${fix.title}": ${what}`);
  for (const problem of before.problems.slice(0, maxProblems)) {
    const ignores = ignoreFixes(model, problem);
    for (const fix of [...problem.fixes, ...ignores]) {
      const edits = fixEdits(fix);
      if (edits.length === 0) continue;
      const fixed = applyEdits(text, edits);
      result.fixesApplied++;
      const after = STRUCTURE[kind](fixed);
      if (!after.ok && shape.ok) {
        fail(`result no longer parses${after.error ? `: ${after.error}` : ''}`, fix, problem);
        continue;
      }
      const lost = missing(shape.facts, after.facts);
      if (lost.length > 0)
        fail(
          `lost ${kind === 'compose' ? 'comments/anchors' : 'instructions'}: ${lost.slice(0, 3).join(' | ')}`,
          fix,
          problem,
        );
      const relinted = testEngine().lint({ ...input, text: fixed });
      if (relinted.skipped) {
        fail(`result is skipped: ${relinted.skipped}`, fix, problem);
        continue;
      }
      const afterCounts = counts(relinted.problems);
      const isFileIgnore = ignores[1] === fix;
      if (
        isFileIgnore
          ? relinted.problems.some((p) => p.ruleId === problem.ruleId)
          : (afterCounts.get(keyOf(problem)) ?? 0) >= (beforeCounts.get(keyOf(problem)) ?? 0)
      ) {
        fail('the targeted finding is still reported', fix, problem);
      }
      for (const [key, n] of afterCounts) {
        if (n > (beforeCounts.get(key) ?? 0))
          fail(`a new finding appears: ${key.replace('\u0000', ': ')}`, fix, problem);
      }
      if (ignores.includes(fix)) {
        // Idempotence: the same ignore fix, recomputed on the result for the (shifted) problem, changes nothing.
        const shift = edits
          .filter((e) => e.range.start.line <= problem.range.start.line)
          .reduce((n, e) => n + newlines(e.newText), 0);
        const moved: Problem = {
          ...problem,
          range: {
            start: { ...problem.range.start, line: problem.range.start.line + shift },
            end: { ...problem.range.end, line: problem.range.end.line + shift },
          },
        };
        const again = ignoreFixes(testEngine().model({ ...input, text: fixed }), moved).find(
          (f) => f.title === fix.title,
        );
        if (again && applyEdits(fixed, again.edits) !== fixed)
          fail('applying the ignore fix again changes the file', fix, problem);
      }
    }
  }
  // Fix-all (first plain fix of each problem, non-overlapping) reaches a fixed point.
  let current = text;
  for (let pass = 0; ; pass++) {
    const problems = testEngine().lint({ ...input, text: current }).problems;
    const edits = problems.flatMap((p) => (p.fixes[0] && !p.fixes[0].snippet ? p.fixes[0].edits : []));
    if (edits.length === 0) break;
    const next = applyEdits(current, nonOverlapping(new SourceText(uri, current), edits));
    if (next === current) break;
    if (pass >= 5) {
      result.failures.push(`${uri}: fix-all does not reach a fixed point after 5 passes`);
      break;
    }
    current = next;
  }
  return result;
}
