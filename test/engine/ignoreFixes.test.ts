import * as assert from 'node:assert/strict';
import { testEngine } from '../helpers/engine';
import { ignoreFixes } from '../../server/src/engine/ignoreFixes';
import { applyEdits } from '../../server/src/engine/fixes';
import { severitiesFor } from '../../server/src/config/presets';
import type { FileKind } from '../../server/src/engine/types';

const settings = { severities: severitiesFor('strict'), imagesAllow: [] };

/** Applies the ignore fix (0 = line, 1 = file) of the first problem, checks it silences it, twice. */
function check(kind: FileKind, code: string, which: 0 | 1, expected: string): void {
  const input = { uri: 'file:///t', text: code, kind, settings };
  const linted = testEngine().lint(input);
  const problem = linted.problems[0]!;
  const fix = ignoreFixes(linted.model, problem)[which]!;
  // The plain text a client without snippets gets (the reason placeholder left as `-- reason`).
  const output = applyEdits(code, fix.snippet ? fix.plainEdits! : fix.edits);
  assert.equal(output, expected);
  const after = testEngine().lint({ ...input, text: output });
  assert.ok(
    !after.problems.some((p) => p.ruleId === problem.ruleId && p.range.start.line === problem.range.start.line + 1),
    'still reported',
  );
  assert.ok(!after.problems.some((p) => p.ruleId === 'ignore-unknown-rule'));
}

describe('ignore fixes', () => {
  it('Dockerfile line: above the whole instruction, keeping indentation', () => {
    check(
      'dockerfile',
      'FROM alpine:3@sha256:' + 'a'.repeat(64) + '\n  FROM \\\n  nginx\n',
      0,
      'FROM alpine:3@sha256:' +
        'a'.repeat(64) +
        '\n  # driftguard-ignore image-untagged -- reason\n  FROM \\\n  nginx\n',
    );
  });
  it('Dockerfile line: extends an existing comment', () => {
    check(
      'dockerfile',
      '# driftguard-ignore image-unpinned-digest\nFROM nginx\n',
      0,
      '# driftguard-ignore image-unpinned-digest,image-untagged\nFROM nginx\n',
    );
  });
  it('Dockerfile file: after parser directives', () => {
    check(
      'dockerfile',
      '# syntax=docker/dockerfile:1@sha256:' + 'b'.repeat(64) + '\n# escape=\\\nFROM nginx\n',
      1,
      '# syntax=docker/dockerfile:1@sha256:' +
        'b'.repeat(64) +
        '\n# escape=\\\n# driftguard-ignore-file image-untagged -- reason\nFROM nginx\n',
    );
  });
  it('Compose line: above the key, same indentation, CRLF kept', () => {
    check(
      'compose',
      'services:\r\n  web:\r\n    image: nginx\r\n',
      0,
      'services:\r\n  web:\r\n    # driftguard-ignore image-untagged -- reason\r\n    image: nginx\r\n',
    );
  });
  it('Compose file: first line', () => {
    check(
      'compose',
      'services:\n  web:\n    image: nginx\n',
      1,
      '# driftguard-ignore-file image-untagged -- reason\nservices:\n  web:\n    image: nginx\n',
    );
  });
  it('a new comment asks for the reason with a snippet tab stop; extending one adds only the id', () => {
    const input = { uri: 'file:///t', text: 'FROM nginx\n', kind: 'dockerfile' as FileKind, settings };
    const linted = testEngine().lint(input);
    const [line, file] = ignoreFixes(linted.model, linted.problems[0]!);
    assert.deepEqual(
      [line, file].map((f) => [f!.snippet, f!.edits[0]!.newText]),
      [
        [true, '# driftguard-ignore image-untagged -- ${1:reason}\n'],
        [true, '# driftguard-ignore-file image-untagged -- ${1:reason}\n'],
      ],
    );
    const extended = { ...input, text: '# driftguard-ignore image-latest-tag -- mirrored\nFROM nginx\n' };
    const lintedExtended = testEngine().lint(extended);
    const [extend] = ignoreFixes(lintedExtended.model, lintedExtended.problems[0]!);
    assert.equal(extend!.snippet, undefined);
    assert.equal(
      applyEdits(extended.text, extend!.edits).split('\n')[0],
      '# driftguard-ignore image-latest-tag,image-untagged -- mirrored',
    );
  });
});
