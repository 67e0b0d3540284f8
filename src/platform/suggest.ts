/**
 * The candidate closest to a mistyped word, or undefined when none is close enough to be a
 * plausible typo (at most a third of the word's letters differ). Comparison ignores case.
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const target = word.toLowerCase();
  const limit = Math.max(1, Math.floor(target.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(target, candidate.toLowerCase());
    if (d <= limit && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** "did you mean …?" when there is a near candidate, otherwise the fallback hint. */
export function didYouMean(
  word: string,
  candidates: Iterable<string>,
  fallback: string,
): { hint: string; suggestion?: string } {
  const suggestion = nearest(word, candidates);
  return suggestion === undefined
    ? { hint: fallback }
    : { hint: `did you mean ${JSON.stringify(suggestion)}?`, suggestion };
}

// Optimal string alignment distance: a swapped pair of letters ("psoix") counts as one edit.
function distance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
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
