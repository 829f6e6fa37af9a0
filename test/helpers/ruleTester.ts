import * as assert from 'node:assert/strict';
import { formatMessage, Rule } from '../../server/src/engine/rule';
import type { ExecutionContext, FileKind, Problem, Severity } from '../../server/src/engine/types';
import { testEngine } from './engine';
import { applyEdits } from '../../server/src/engine/fixes';

/** A document that must produce no finding of the rule under test. */
export interface ValidCase {
  name?: string;
  kind: FileKind;
  code: string;
  shellContext?: ExecutionContext;
  dotenv?: string;
  /** Dockerfiles: named build contexts a host found for the file (Compose, bake, `--build-context`). */
  namedContexts?: string[];
  /** Shell scripts: the text of a file the script sources (its top-level variables are passed in). */
  sourced?: string;
  imagesAllow?: string[];
  /** Registry facts (`name:tag` → current digest) a host would pass in. */
  currentDigests?: Record<string, string>;
  /** Other rules to enable alongside (e.g. to check the rule under test stays silent next to them). */
  alsoEnable?: string[];
}

/**
 * Expected finding: its message, as the message id and the placeholder values (the message text must
 * be exactly `meta.messages[messageId]` filled with `data`), and its exact 0-based range
 * [startLine, startChar, endLine, endChar].
 */
export interface ExpectedError {
  messageId: string;
  data?: Record<string, string>;
  range: [number, number, number, number];
  /** The data hosts read (a registry pin's reference): the keys given are compared. */
  hostData?: Record<string, unknown>;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedError[];
  /**
   * Text after applying the first fix of every finding (fix-all). When set, the tester also
   * re-lints the output (it must parse and no longer have those findings) and applies fixes again
   * (nothing may change: idempotent). Omit when the rule offers no fix for the case.
   */
  output?: string;
  /** Title the (first) fix must have. */
  fixTitle?: string;
}

function run(rule: Rule, c: ValidCase): Problem[] {
  const severities: Record<string, Severity> = { [rule.meta.id]: 'warning' };
  for (const id of c.alsoEnable ?? []) severities[id] = 'warning';
  const result = testEngine().lint({
    uri: 'file:///test/' + c.kind,
    text: c.code,
    kind: c.kind,
    settings: {
      severities,
      imagesAllow: c.imagesAllow ?? [],
      ...(c.currentDigests ? { currentDigests: new Map(Object.entries(c.currentDigests)) } : {}),
    },
    ...(c.shellContext ? { shellContext: c.shellContext } : {}),
    ...(c.dotenv !== undefined ? { dotenv: c.dotenv } : {}),
    ...(c.namedContexts ? { namedContexts: c.namedContexts } : {}),
    ...(c.sourced !== undefined
      ? { sourcedVariables: testEngine().sourcing({ path: '/test/env.sh', kind: 'shell', text: c.sourced })!.variables }
      : {}),
  });
  assert.deepEqual(result.internalErrors, [], 'rule threw');
  return result.problems.filter((p) => p.ruleId === rule.meta.id);
}

/** The fields of `data` that `expected` names. */
function pick(data: Record<string, unknown> | undefined, expected: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(expected).map((key) => [key, data?.[key]]));
}

function applyFirstFixes(problems: Problem[], text: string): string {
  return applyEdits(
    text,
    problems.flatMap((p) => p.fixes[0]?.edits ?? []),
  );
}

/** ESLint RuleTester-style tables: every rule has one, with exact ranges and fix outputs. */
export function ruleTester(rule: Rule, table: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(rule.meta.id, () => {
    describe('valid', () => {
      for (const c of table.valid) {
        it(c.name ?? c.code.slice(0, 80), () => {
          assert.deepEqual(
            run(rule, c).map((p) => `${p.message} @${JSON.stringify(p.range)}`),
            [],
          );
        });
      }
    });
    describe('invalid', () => {
      for (const c of table.invalid) {
        it(c.name ?? c.code.slice(0, 80), () => {
          const problems = run(rule, c);
          const actual = problems.map((p, i) => ({
            messageId: p.messageId,
            message: p.message,
            range: [p.range.start.line, p.range.start.character, p.range.end.line, p.range.end.character],
            ...(c.errors[i]?.hostData ? { hostData: pick(p.hostData, c.errors[i].hostData) } : {}),
          }));
          const expected = c.errors.map((e) => {
            const template = rule.meta.messages[e.messageId];
            assert.ok(template, `unknown messageId ${e.messageId}`);
            return {
              messageId: e.messageId,
              message: formatMessage(template, e.data),
              range: e.range,
              ...(e.hostData ? { hostData: e.hostData } : {}),
            };
          });
          assert.deepEqual(actual, expected);
          if (c.fixTitle !== undefined) assert.equal(problems[0]?.fixes[0]?.title, c.fixTitle);
          if (c.output !== undefined) {
            const output = applyFirstFixes(problems, c.code);
            assert.equal(output, c.output, 'fix output');
            const again = run(rule, { ...c, code: output });
            assert.equal(applyFirstFixes(again, output), output, 'fix is not idempotent');
            for (const before of problems) {
              assert.ok(
                !again.some((p) => p.message === before.message),
                `finding still present after fix: ${before.message}`,
              );
            }
          } else {
            assert.deepEqual(
              problems.filter((p) => p.fixes.length > 0).map((p) => p.message),
              [],
              'a case whose findings carry fixes must state the expected `output`',
            );
          }
        });
      }
    });
  });
}
