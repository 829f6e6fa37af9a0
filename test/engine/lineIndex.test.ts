import * as assert from 'node:assert/strict';
import { LineIndex } from '../../server/src/engine/lineIndex';
import { prng } from '../fuzz/corpus';

describe('LineIndex', () => {
  it('splits like split("\\n") and, after random edits, reports only lines that really stayed the same', () => {
    const random = prng(4242);
    const pieces = ['a', '\n', 'b', '\r\n', 'cd'];
    for (let n = 0; n < 5000; n++) {
      let before = '';
      for (let i = 0; i < random() * 12; i++) before += pieces[Math.floor(random() * pieces.length)];
      // Long texts exercise the block-wise comparison.
      if (n % 5 === 0) before = before.repeat(200);
      let after = before;
      for (let op = 0; op < 1 + random() * 3; op++) {
        const at = Math.floor(random() * (after.length + 1));
        after =
          random() < 0.5
            ? after.slice(0, at) + pieces[Math.floor(random() * pieces.length)] + after.slice(at)
            : after.slice(0, at) + after.slice(at + 1 + Math.floor(random() * 3));
      }
      const { index, unchangedBefore, unchangedAfter } = LineIndex.of(before).update(after);
      const oldLines = before.split('\n');
      const newLines = after.split('\n');
      assert.deepEqual(index.lines(0, index.count - 1), newLines, JSON.stringify([before, after]));
      assert.ok(unchangedBefore + unchangedAfter <= Math.min(oldLines.length, newLines.length));
      assert.deepEqual(newLines.slice(0, unchangedBefore), oldLines.slice(0, unchangedBefore));
      assert.deepEqual(
        newLines.slice(newLines.length - unchangedAfter),
        oldLines.slice(oldLines.length - unchangedAfter),
      );
    }
  });
});
