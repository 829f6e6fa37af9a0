import * as assert from 'node:assert/strict';
import { lowerBound } from '../../server/src/text/lowerBound';

describe('lowerBound', () => {
  const sorted = [1, 3, 3, 5, 8];
  const cases: Array<[target: number, index: number]> = [
    [0, 0],
    [1, 0],
    [2, 1],
    [3, 1],
    [4, 3],
    [8, 4],
    [9, 5],
  ];
  for (const [target, index] of cases)
    it(`finds the first item ≥ ${target} at ${index}`, () => {
      assert.equal(
        lowerBound(sorted.length, (i) => sorted[i]! >= target),
        index,
      );
    });

  it('is 0 for no items', () => {
    assert.equal(
      lowerBound(0, () => true),
      0,
    );
  });
});
