import * as assert from 'node:assert/strict';
import { lint } from '../../server/src/engine/lint';
import { DocumentModel } from '../../server/src/engine/documentModel';
import { ignoreFixes } from '../../server/src/engine/ignoreFixes';
import { applyEdits } from '../../server/src/engine/fixes';
import { severitiesFor } from '../../server/src/config/presets';
import type { FileKind } from '../../server/src/engine/types';

const settings = { severities: severitiesFor('strict'), imagesAllow: [] };

/** Applies the ignore fix (0 = line, 1 = file) of the first problem, checks it silences it, twice. */
function check(kind: FileKind, code: string, which: 0 | 1, expected: string): void {
  const input = { uri: 'file:///t', text: code, kind, settings };
  const problem = lint(input).problems[0]!;
  const fix = ignoreFixes(new DocumentModel(input), problem)[which]!;
  const output = applyEdits(code, fix.edits);
  assert.equal(output, expected);
  const after = lint({ ...input, text: output });
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
      'FROM alpine:3@sha256:' + 'a'.repeat(64) + '\n  # driftguard-ignore image-untagged\n  FROM \\\n  nginx\n',
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
        '\n# escape=\\\n# driftguard-ignore-file image-untagged\nFROM nginx\n',
    );
  });
  it('Compose line: above the key, same indentation, CRLF kept', () => {
    check(
      'compose',
      'services:\r\n  web:\r\n    image: nginx\r\n',
      0,
      'services:\r\n  web:\r\n    # driftguard-ignore image-untagged\r\n    image: nginx\r\n',
    );
  });
  it('Compose file: first line', () => {
    check(
      'compose',
      'services:\n  web:\n    image: nginx\n',
      1,
      '# driftguard-ignore-file image-untagged\nservices:\n  web:\n    image: nginx\n',
    );
  });
});
