// Shared by every bench module: timing, medians, spreads, and one place that formats figures.
// A module's run() returns { key: number | number[] }: an array holds one sample per run (a
// ratio is paired with its baseline run by run), a number is a single value such as a size.
import { performance } from 'node:perf_hooks';

/** Every figure is decided by at least this many runs; one noisy run cannot move a median far. */
export const MIN_RUNS = 5;

export async function time(fn) {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs fn `runs` times (after `warmup` unmeasured runs) and returns the median milliseconds. */
export async function medianMs(fn, { runs = MIN_RUNS, warmup = 1 } = {}) {
  return median(await samplesMs(fn, { runs, warmup }));
}

/** Runs fn `runs` times (after `warmup` unmeasured runs) and returns every run's milliseconds. */
export async function samplesMs(fn, { runs = MIN_RUNS, warmup = 1 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await time(fn));
  return times;
}

/** Each pair's quotient: a measurement over the baseline taken right next to it. */
export function ratios(values, baselines) {
  return values.map((value, i) => value / baselines[i]);
}

export function round(value, digits = 3) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Digits that keep three significant figures, at most 4 decimals. */
function digitsFor(value) {
  const magnitude = Math.abs(value);
  return magnitude >= 100 ? 1 : magnitude >= 10 ? 2 : magnitude >= 0.1 ? 3 : 4;
}

/**
 * Pools the samples of every round of one key: the figure is their median, the spread their
 * minimum and maximum. Figures stay plain numbers, so targets compare against them directly.
 */
export function summarise(samplesByKey) {
  const figures = {};
  const spread = {};
  for (const [key, samples] of Object.entries(samplesByKey)) {
    const value = median(samples);
    const digits = digitsFor(value);
    figures[key] = round(value, digits);
    if (samples.length > 1) {
      spread[key] = {
        min: round(Math.min(...samples), digits),
        max: round(Math.max(...samples), digits),
        runs: samples.length,
      };
    }
  }
  return { figures, spread };
}
