import type { Params, StatefulActor } from '../statekeep.js';

/** Running statistics per column: enough to merge a new batch in without the old rows. */
export interface StandardScalerState {
  count: number;
  mean: number[];
  /** Sum of squared deviations from the mean. */
  m2: number[];
}

/** Centres each column on its mean and divides by its standard deviation, merging batches (Chan et al.). */
export class StandardScaler implements StatefulActor<number[][], number[][], StandardScalerState> {
  readonly name: string;
  readonly needs = 'numbers';
  #state: StandardScalerState = { count: 0, mean: [], m2: [] };

  constructor(name = 'scaler') {
    this.name = name;
  }

  train(rows: number[][]): void {
    if (rows.length === 0) return;
    const width = rows[0]!.length;
    const n = rows.length;
    const mean = Array.from({ length: width }, (_, c) => rows.reduce((s, r) => s + r[c]!, 0) / n);
    const m2 = mean.map((m, c) => rows.reduce((s, r) => s + (r[c]! - m) ** 2, 0));
    const old = this.#state;
    if (old.count === 0) {
      this.#state = { count: n, mean, m2 };
      return;
    }
    const count = old.count + n;
    this.#state = {
      count,
      mean: mean.map((m, c) => old.mean[c]! + ((m - old.mean[c]!) * n) / count),
      m2: m2.map((v, c) => old.m2[c]! + v + ((mean[c]! - old.mean[c]!) ** 2 * old.count * n) / count),
    };
  }

  apply(rows: number[][]): number[][] {
    const { count, mean, m2 } = this.#state;
    const std = m2.map((v) => Math.sqrt(v / count) || 1);
    return rows.map((row) => row.map((value, c) => (value - mean[c]!) / std[c]!));
  }

  getState(): StandardScalerState {
    return { count: this.#state.count, mean: [...this.#state.mean], m2: [...this.#state.m2] };
  }

  setState(state: StandardScalerState): void {
    this.#state = { count: state.count, mean: [...state.mean], m2: [...state.m2] };
  }

  getParams(): Params {
    return {};
  }

  setParams(): void {}
}
