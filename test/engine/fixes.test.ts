import * as assert from 'node:assert/strict';
import { applyEdits, nonOverlapping } from '../../server/src/engine/fixes';
import { SourceText } from '../../server/src/model/positions';

const edit = (l1: number, c1: number, l2: number, c2: number, newText: string) => ({
  range: { start: { line: l1, character: c1 }, end: { line: l2, character: c2 } },
  newText,
});

describe('fix application', () => {
  it('sorts edits and drops overlapping ones', () => {
    const source = new SourceText('file:///x', 'abcdef\nghij\n');
    const kept = nonOverlapping(source, [
      edit(1, 0, 1, 2, 'X'),
      edit(0, 1, 0, 4, 'Y'),
      edit(0, 3, 0, 5, 'Z'),
      edit(0, 5, 0, 5, '!'),
    ]);
    assert.deepEqual(
      kept.map((e) => e.newText),
      ['Y', '!', 'X'],
    );
    assert.equal(applyEdits('abcdef\nghij\n', kept), 'aYe!f\nXij\n');
  });
  it('keeps insertions at the same point in order', () => {
    assert.equal(applyEdits('ab', [edit(0, 1, 0, 1, '1'), edit(0, 1, 0, 1, '2')]), 'a12b');
  });
});
