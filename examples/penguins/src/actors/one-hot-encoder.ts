import type { Params, StatefulActor } from '../statekeep.js';

export interface OneHotEncoderState {
  /** Per column, the categories seen in training, in order of first sight: one output column each. */
  categories: string[][];
}

/**
 * One output column per category seen in training, 1 where the row has it. A category never
 * seen in training (a new island) sets none of its column's outputs: the row still predicts, from
 * its other columns. Categories first seen in a later generation are NOT added on a warm start,
 * since the model after it was trained on a fixed number of columns.
 */
export class OneHotEncoder implements StatefulActor<string[][], number[][], OneHotEncoderState> {
  readonly name: string;
  #categories: string[][] = [];

  constructor(name = 'encoder') {
    this.name = name;
  }

  train(rows: string[][]): void {
    if (this.#categories.length > 0) return; // keeps its columns: see the class comment
    for (const row of rows) {
      row.forEach((value, c) => {
        this.#categories[c] ??= [];
        if (!this.#categories[c]!.includes(value)) this.#categories[c]!.push(value);
      });
    }
  }

  apply(rows: string[][]): number[][] {
    return rows.map((row) =>
      this.#categories.flatMap((categories, c) => categories.map((k) => (row[c] === k ? 1 : 0))),
    );
  }

  getState(): OneHotEncoderState {
    return { categories: this.#categories.map((c) => [...c]) };
  }

  setState(state: OneHotEncoderState): void {
    this.#categories = state.categories.map((c) => [...c]);
  }

  getParams(): Params {
    return {};
  }

  setParams(): void {}
}
