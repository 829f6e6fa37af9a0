import * as assert from 'node:assert/strict';
import { testEngine } from '../helpers/engine';
import { severitiesFor } from '../../server/src/config/presets';
import type { LintInput } from '../../server/src/engine/settings';
import type { LintResult, LintSteps } from '../../server/src/engine/lint';

const settings = { severities: severitiesFor('recommended'), imagesAllow: [] };

/** The pauses of a stepped lint, and its result. */
function drive(steps: LintSteps): { pauses: number; result: LintResult } {
  for (let pauses = 0; ; pauses++) {
    const step = steps.next();
    if (step.done) return { pauses, result: step.value };
  }
}

/**
 * Issue 11, item 10: the language server lints a large document a step at a time, answering other
 * requests between steps. The shell analysis of a large script (most of its lint) is split too,
 * instead of being one step of a second or more inside the first rule that reads it.
 */
describe('stepped lint of a large script', function () {
  this.timeout(120_000);
  const script = (lines: number, tag: string) =>
    `#!/bin/sh\n# ${tag}\n` +
    'apt-get install -y curl\nif [ -f /etc/app.conf ]; then echo "$(date) ok" >> /var/log/app; fi\n'.repeat(lines);

  it('pauses inside the shell analysis of a 900 KB script, and finds what the lint in one go finds', () => {
    const tag = `run ${process.hrtime.bigint()}`;
    const input = (text: string): LintInput => ({ uri: 'file:///big.sh', text, kind: 'shell', settings });
    const small = drive(testEngine().lintSteps(input(script(2, tag))));
    const bigText = script(10_500, tag);
    assert.ok(bigText.length > 900 * 1024);
    const big = drive(testEngine().lintSteps(input(bigText)));
    // A small script pauses after the parse and the snippets, then once per rule; the large one also
    // every NODES_PER_STEP syntax nodes of its analysis (about 250,000 here).
    assert.ok(big.pauses >= small.pauses + 100, `${big.pauses} pauses (a small script: ${small.pauses})`);
    assert.equal(big.result.problems.length, 10_500);
    assert.deepEqual(big.result.problems, testEngine().lint(input(bigText)).problems);
  });

  it('a stepped lint closed early (the document changed) can be closed at any pause', () => {
    const steps = testEngine().lintSteps({
      uri: 'file:///big.sh',
      text: script(3_000, `closed ${process.hrtime.bigint()}`),
      kind: 'shell',
      settings,
    });
    for (let i = 0; i < 5; i++) assert.equal(steps.next().done, false);
    assert.equal(steps.return(undefined as never).done, true);
  });
});
