import type { Params, StatefulActor } from '../statekeep.js';

type Cell = string | number | boolean | null;

export interface MostFrequentImputerState {
  /** Per column: how often each value was seen, in order of first sight. */
  counts: { value: string; count: number }[][];
}

/**
 * Fills a missing text cell with its column's most frequent value over every row trained on,
 * across generations (counts are merged on a warm start). A tie goes to the value seen first.
 */
export class MostFrequentImputer implements StatefulActor<Cell[][], string[][], MostFrequentImputerState> {
  readonly name: string;
  #counts: Map<string, number>[] = [];

  constructor(name = 'imputer') {
    this.name = name;
  }

  train(rows: Cell[][]): void {
    for (const row of rows) {
      row.forEach((cell, c) => {
        this.#counts[c] ??= new Map();
        if (cell === null) return;
        const value = String(cell);
        this.#counts[c]!.set(value, (this.#counts[c]!.get(value) ?? 0) + 1);
      });
    }
  }

  apply(rows: Cell[][]): string[][] {
    const fill = this.#counts.map((counts) => {
      let best: string | null = null;
      let most = 0;
      for (const [value, count] of counts) if (count > most) [best, most] = [value, count];
      return best;
    });
    return rows.map((row) => row.map((cell, c) => (cell === null ? (fill[c] ?? '') : String(cell))));
  }

  getState(): MostFrequentImputerState {
    return { counts: this.#counts.map((m) => [...m].map(([value, count]) => ({ value, count }))) };
  }

  setState(state: MostFrequentImputerState): void {
    this.#counts = state.counts.map((column) => new Map(column.map(({ value, count }) => [value, count])));
  }

  getParams(): Params {
    return {};
  }

  setParams(): void {}
}
