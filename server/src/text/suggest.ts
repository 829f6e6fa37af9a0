/**
 * What a misspelt word most likely meant, for "did you mean …?": the closest candidate by edit
 * distance (a swap of two neighbours counts once) when the distance is small for the word's length;
 * else the one candidate that starts with the word (`warn` → `warning`) or contains it as whole
 * dash-separated parts (`latest-tag` → `image-latest-tag`). Undefined when nothing is close or two
 * candidates are equally close.
 */
export function closestWord(written: string, candidates: Iterable<string>): string | undefined {
  const wanted = written.trim().toLowerCase();
  if (wanted === '') return undefined;
  const words = [...candidates];
  if (words.includes(wanted)) return wanted;
  const limit = Math.max(1, Math.min(3, Math.floor(wanted.length / 4)));
  let best: string | undefined;
  let bestDistance = Infinity;
  let tie = false;
  for (const word of words) {
    const d = editDistance(wanted, word.toLowerCase());
    if (d < bestDistance) [best, bestDistance, tie] = [word, d, false];
    else if (d === bestDistance) tie = true;
  }
  if (best !== undefined && bestDistance <= limit && !tie) return best;
  const partOf = words.filter((w) => (wanted.length >= 3 && w.startsWith(wanted)) || `-${w}-`.includes(`-${wanted}-`));
  return partOf.length === 1 ? partOf[0] : undefined;
}

/** " (did you mean image-untagged?)", or "" when nothing is close. */
export function didYouMean(written: string, candidates: Iterable<string>): string {
  const word = closestWord(written, candidates);
  return word && word !== written ? ` (did you mean ${word}?)` : '';
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}
