import type { Params, StatefulActor } from '../statekeep.js';

export interface MeanImputerState {
  /** Per column: how many values have been seen, and their mean. */
  count: number[];
  mean: number[];
}

/** Fills missing measurements with the column's mean over every row trained on, across generations. */
export class MeanImputer implements StatefulActor<(number | null)[][], number[][], MeanImputerState> {
  readonly name: string;
  /** Text in a measurement column is refused before training, naming the column and its line. */
  readonly needs = 'numbers';
  #state: MeanImputerState = { count: [], mean: [] };

  constructor(name = 'imputer') {
    this.name = name;
  }

  train(rows: (number | null)[][]): void {
    const { count, mean } = this.#state;
    for (const row of rows) {
      row.forEach((value, c) => {
        count[c] ??= 0;
        mean[c] ??= 0;
        if (value === null) return;
        count[c]! += 1;
        mean[c]! += (value - mean[c]!) / count[c]!;
      });
    }
  }

  apply(rows: (number | null)[][]): number[][] {
    return rows.map((row) => row.map((value, c) => value ?? this.#state.mean[c] ?? 0));
  }

  getState(): MeanImputerState {
    return { count: [...this.#state.count], mean: [...this.#state.mean] };
  }

  setState(state: MeanImputerState): void {
    this.#state = { count: [...state.count], mean: [...state.mean] };
  }

  getParams(): Params {
    return {};
  }

  setParams(): void {}
}
