/**
 * The first index in `0..length` at which `isAtOrPast(index)` holds, for a predicate that is false
 * up to some index and true from there on (items sorted by the key it compares): a binary search.
 */
export function lowerBound(length: number, isAtOrPast: (index: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (isAtOrPast(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
