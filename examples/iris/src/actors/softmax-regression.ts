import type { Params, StatefulActor } from '../statekeep.js';

export interface SoftmaxRegressionState {
  /** One row per class: a weight per feature, then the bias. */
  weights: number[][];
}

export interface SoftmaxRegressionParams extends Params {
  learningRate: number;
  epochs: number;
  /** L2 penalty on the weights (not the biases). */
  l2: number;
}

/**
 * Multinomial logistic regression by full-batch gradient descent. Training starts from the
 * current weights (zeros when untrained), so a warm-started generation continues descending
 * from where its parent stopped. Full batches and zero start make it deterministic.
 */
export class SoftmaxRegression implements StatefulActor<number[][], number[], SoftmaxRegressionState, number[]> {
  readonly name: string;
  #params: SoftmaxRegressionParams = { learningRate: 0.5, epochs: 200, l2: 0.001 };
  #weights: number[][] = [];

  constructor(name = 'model') {
    this.name = name;
  }

  train(rows: number[][], labels: number[]): void {
    if (rows.length === 0) return;
    const width = rows[0]!.length + 1;
    const classes = Math.max(this.#weights.length, ...labels.map((y) => y + 1));
    if (this.#weights.length > 0 && this.#weights[0]!.length !== width)
      throw new Error(`the model was trained on ${this.#weights[0]!.length - 1} features, not ${width - 1}`);
    while (this.#weights.length < classes) this.#weights.push(new Array<number>(width).fill(0));
    const { learningRate, epochs, l2 } = this.#params;
    const w = this.#weights;
    for (let epoch = 0; epoch < epochs; epoch += 1) {
      const gradient = w.map((row) => row.map((value, j) => (j < width - 1 ? l2 * value : 0)));
      rows.forEach((row, r) => {
        const p = probabilities(w, row);
        p.forEach((pk, k) => {
          const error = (pk - (labels[r] === k ? 1 : 0)) / rows.length;
          row.forEach((x, j) => {
            gradient[k]![j]! += error * x;
          });
          gradient[k]![width - 1]! += error;
        });
      });
      for (const [k, row] of w.entries()) {
        for (const j of row.keys()) row[j]! -= learningRate * gradient[k]![j]!;
      }
    }
  }

  apply(rows: number[][]): number[] {
    if (this.#weights.length === 0) throw new Error('the model is not trained');
    return rows.map((row) => {
      const p = probabilities(this.#weights, row);
      return p.indexOf(Math.max(...p));
    });
  }

  getState(): SoftmaxRegressionState {
    return { weights: this.#weights.map((row) => [...row]) };
  }

  setState(state: SoftmaxRegressionState): void {
    this.#weights = state.weights.map((row) => [...row]);
  }

  getParams(): SoftmaxRegressionParams {
    return { ...this.#params };
  }

  setParams(params: Params): void {
    for (const [key, value] of Object.entries(params)) {
      if (!(key in this.#params) || typeof value !== 'number' || !Number.isFinite(value))
        throw new Error(`model parameter ${key} must be a finite number`);
      this.#params = { ...this.#params, [key]: key === 'epochs' ? Math.round(value) : value };
    }
  }
}

function probabilities(weights: number[][], row: number[]): number[] {
  const scores = weights.map((w) => row.reduce((s, x, j) => s + w[j]! * x, w[row.length]!));
  const top = Math.max(...scores);
  const e = scores.map((s) => Math.exp(s - top));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}
