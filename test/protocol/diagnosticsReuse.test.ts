import * as assert from 'node:assert/strict';
import { severitiesFor } from '../../server/src/config/presets';
import type { LintInput } from '../../server/src/engine/settings';
import { reusingDiagnostics, toDiagnostic } from '../../server/src/lsp/convert';
import { publishedDiagnostics } from '../../server/src/lsp/diagnostics';
import { testEngine } from '../helpers/engine';

const settings = { severities: severitiesFor('recommended'), imagesAllow: [] };
const input = (text: string): LintInput => ({ uri: 'file:///ws/Dockerfile', kind: 'dockerfile', text, settings });

describe('diagnostics of a keystroke', () => {
  it('reuse those of the problems the incremental lint kept, and equal a conversion of every problem', () => {
    const stages = Array.from({ length: 150 }, (_, i) => `FROM node:${i}\nRUN apt-get install -y curl wget\n`);
    const lines = stages.join('').split('\n');
    const middle = 150;
    let text = lines.join('\n');
    let { result, state } = testEngine().lintIncremental(input(text));
    let { convert, converted } = reusingDiagnostics(undefined);
    let shown = publishedDiagnostics(result, convert);
    assert.deepEqual(shown, publishedDiagnostics(result));
    // Typing an image and packages into the middle, one character at a time; then deleting a line.
    const typed = 'RUN apt-get install -y jq # x';
    const withLine = (line: string) => [...lines.slice(0, middle), line, ...lines.slice(middle)].join('\n');
    const edits = [...typed].map((_, i) => withLine(typed.slice(0, i + 1)));
    edits.push([...lines.slice(0, middle), ...lines.slice(middle + 1)].join('\n'));
    let convertedAgain = 0;
    let partials = 0;
    for (const next of edits) {
      const before = new Map([...converted].map(([problem, diagnostic]) => [problem, diagnostic]));
      text = next;
      let mode: string;
      ({ result, state, mode } = testEngine().lintIncremental(input(text), state));
      if (mode === 'partial') partials++;
      ({ convert, converted } = reusingDiagnostics(before));
      shown = publishedDiagnostics(result, convert);
      assert.deepEqual(shown, result.problems.map(toDiagnostic));
      assert.deepEqual(shown, publishedDiagnostics(testEngine().lint(input(text))));
      const reused = result.problems.filter((p) => before.has(p));
      if (mode === 'partial') assert.ok(reused.length > 0, 'problems outside the edited part are kept');
      for (const problem of reused) assert.equal(converted.get(problem), before.get(problem));
      convertedAgain += result.problems.length - reused.length;
    }
    assert.ok(convertedAgain > 0, 'the problems of the typed line are converted');
    assert.ok(partials > edits.length / 2, `${partials} of ${edits.length} lints partial`);
  });
});
