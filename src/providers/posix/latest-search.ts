/**
 * The highest n for which `exists(n)` holds, given that the published numbers are always exactly
 * 1..L (the allocator never skips a number and nothing is removed). That makes existence
 * monotone, so L is found by galloping up from a hint and bisecting the last step: about
 * 2·log2(distance from the hint) probes, and two when the hint is current, however long the
 * release is. Returns 0 when nothing is published.
 *
 * The hint is only a starting point: one that is not published (damaged, or from a copied
 * registry) is ignored, and one that is behind only costs a few more probes.
 */
export async function highestPublished(exists: (n: number) => Promise<boolean>, hint: number): Promise<number> {
  let low = Number.isSafeInteger(hint) && hint >= 1 && (await exists(hint)) ? hint : 0;
  let step = 1;
  let high = low + step;
  while (await exists(high)) {
    low = high;
    step *= 2;
    high = low + step;
  }
  // Invariant: low is published (or 0), high is not.
  while (high - low > 1) {
    const middle = low + Math.floor((high - low) / 2);
    if (await exists(middle)) low = middle;
    else high = middle;
  }
  return low;
}
