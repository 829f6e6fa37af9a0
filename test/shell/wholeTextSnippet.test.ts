import * as assert from 'node:assert/strict';
import { SnippetBuilder, wholeTextSnippet } from '../../server/src/shell/snippet';
import { testEngine } from '../helpers/engine';

const meta = { place: 'host', origin: 'script', editable: true, depth: 0 } as const;

describe('a whole script as a snippet', () => {
  it('is what the builder gives, CR before LF dropped or not', () => {
    for (const text of ['', 'echo a\n', 'echo a\r\necho b\r\n', 'a\rb\n', '#!/bin/sh\nx=1\n\n. ./env.sh\n'])
      assert.deepEqual(
        wholeTextSnippet(text, meta),
        new SnippetBuilder().copy(text, 0, text.length).build(text.length, meta),
        JSON.stringify(text),
      );
  });

  it('two models of the same script (what it sources, then its lint) share one offsets array', () => {
    const engine = testEngine();
    const text = 'set -e\n. ./lib.sh\napt-get install -y curl\n';
    const snippetOf = () => {
      const model = engine.readModel({ path: '/w/run.sh', kind: 'shell', text });
      return engine.kinds.get('shell').shellSnippets!(model.parsed, model)[0]!;
    };
    const first = snippetOf();
    const second = snippetOf();
    assert.equal(second.offsets, first.offsets);
    assert.deepEqual(first.offsets, [...Array(text.length + 1).keys()]);
  });
});
