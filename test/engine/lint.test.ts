import * as assert from 'node:assert/strict';
import { testEngine } from '../helpers/engine';
import { defineRule, Rule } from '../../server/src/engine/rule';
import { RULES } from '../../server/src/rules';
import { severitiesFor } from '../../server/src/config/presets';
import type { FileKind } from '../../server/src/engine/types';
import type { LintInput } from '../../server/src/engine/settings';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/repo';

const settings = { severities: severitiesFor('recommended'), imagesAllow: [] };
const lint = (input: LintInput) => testEngine().lint(input);
const run = (kind: FileKind, text: string) => lint({ uri: 'file:///t', text, kind, settings });

describe('engine', () => {
  /** A stand-in for `image-untagged` that runs `check`. */
  const standIn = (check: Rule<'x'>['check']) =>
    defineRule({
      meta: {
        id: 'image-untagged',
        category: 'mutable-reference',
        description: 'a stand-in for a rule',
        severity: { recommended: 'warning', strict: 'error' },
        fixable: false,
        messages: { x: 'x' },
      },
      check,
    });

  it('isolates a throwing rule: other rules still report, the error is logged', () => {
    const boom = standIn(() => {
      throw new Error('boom');
    });
    const others = RULES.filter((r) => r.meta.id !== 'image-untagged');
    const result = testEngine()
      .withRules([boom, ...others])
      .lint({ uri: 'file:///t', text: 'FROM nginx\nFROM redis:latest\n', kind: 'dockerfile', settings });
    assert.equal(result.internalErrors.length, 1);
    assert.match(result.internalErrors[0]!, /rule image-untagged failed on file:\/\/\/t: boom/);
    assert.deepEqual(
      result.problems.map((p) => p.ruleId),
      ['image-latest-tag'],
    );
  });
  it('refuses a fix from a rule whose meta does not declare it fixable (fixable means engine fixes)', () => {
    const sneaky = standIn((context) => {
      const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } };
      context.report({ range, messageId: 'x', fixes: [{ title: 'drop', edits: [{ range, newText: '' }] }] });
    });
    const result = testEngine()
      .withRules([sneaky])
      .lint({ uri: 'file:///t', text: 'FROM nginx\n', kind: 'dockerfile', settings });
    assert.deepEqual(result.problems, []);
    assert.match(
      result.internalErrors[0] ?? '',
      /rule image-untagged failed .*reported a fix but its meta\.fixable is false/,
    );
  });
  it('writes plain-text messages and fix titles (the Problems panel and terminals show Markdown raw)', () => {
    const examples: Array<[string, FileKind]> = [
      ['Dockerfile', 'dockerfile'],
      ['docker-compose.yml', 'compose'],
      ['hotfix.sh', 'shell'],
    ];
    const seen = new Set<string>();
    for (const [name, kind] of examples) {
      const text = fs.readFileSync(path.join(REPO_ROOT, 'examples', name), 'utf8');
      const strict = { severities: severitiesFor('strict'), imagesAllow: [] };
      for (const problem of lint({ uri: `file:///examples/${name}`, text, kind, settings: strict }).problems) {
        seen.add(problem.ruleId);
        for (const words of [problem.message, ...problem.fixes.map((f) => f.title)])
          assert.doesNotMatch(words, /`|\*\*/, `${problem.ruleId}: ${words}`);
      }
    }
    assert.ok(seen.size >= 10, `the examples show most rules (${[...seen].join(', ')})`);
  });
  it('skips binary input with a reason', () => {
    assert.equal(run('dockerfile', 'FROM a\u0000b').skipped, 'binary file (contains NUL bytes)');
  });
  it('skips invalid YAML with a reason naming the position', () => {
    const result = run('compose', 'services:\n  web: [\n');
    assert.match(result.skipped ?? '', /^invalid YAML at \d+:\d+/);
    assert.deepEqual(result.problems, []);
  });
  it('skips Compose templates ({{ }}) with a reason, never throws', () => {
    const result = run('compose', 'services:\n  {{ .Name }}:\n    image: {{ .Image }}\n');
    assert.ok(result.skipped || result.problems.length === 0);
  });
  it('never crashes on odd Dockerfiles', () => {
    for (const text of [
      '',
      '\n\n',
      'FROM',
      'FROM --platform=',
      'ARG',
      'FROM ${',
      'COPY --from= a b',
      'RUN --mount=from',
      '\uFEFFFROM nginx',
      'FROM nginx\r',
      '# escape=x\nFROM a',
    ]) {
      assert.deepEqual(run('dockerfile', text).internalErrors, [], JSON.stringify(text));
    }
  });
  it('sorts problems by position and fills message templates', () => {
    const result = run('dockerfile', 'FROM redis:latest\nFROM nginx\n');
    assert.deepEqual(
      result.problems.map((p) => [p.range.start.line, p.ruleId]),
      [
        [0, 'image-latest-tag'],
        [1, 'image-untagged'],
      ],
    );
    assert.ok(!result.problems.some((p) => p.message.includes('{{')));
  });
  it('an off rule reports nothing', () => {
    const result = lint({
      uri: 'file:///t',
      text: 'FROM nginx\n',
      kind: 'dockerfile',
      settings: { severities: { ...settings.severities, 'image-untagged': 'off' }, imagesAllow: [] },
    });
    assert.deepEqual(result.problems, []);
  });
});
