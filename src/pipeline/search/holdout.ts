import { BadDataError } from '../../registry/errors/index.js';
import { shuffled, stream } from './random.js';

export interface Split {
  /** Row indices to train candidates on, ascending. */
  train: number[];
  /** Row indices to score them on, ascending. */
  holdout: number[];
}

/**
 * A seeded random holdout of round(rows × fraction) rows, at least one on each side. Indices
 * come back ascending so each part keeps the data's row order.
 */
export function holdoutSplit(rows: number, fraction: number, seed: number, file: string): Split {
  if (rows < 2)
    throw new BadDataError(
      { file, problem: `tuning needs at least 2 rows, one to train on and one to score on; the data has ${rows}` },
      'tune on more data',
    );
  const size = Math.min(rows - 1, Math.max(1, Math.round(rows * fraction)));
  const order = shuffled(
    Array.from({ length: rows }, (_, i) => i),
    stream(seed, 'holdout'),
  );
  const ascending = (a: number, b: number): number => a - b;
  return { holdout: order.slice(0, size).sort(ascending), train: order.slice(size).sort(ascending) };
}
