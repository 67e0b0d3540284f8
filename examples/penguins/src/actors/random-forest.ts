import { RandomForestClassifier } from 'ml-random-forest';
import type { Params, StatefulActor } from '../statekeep.js';

export interface RandomForestParams extends Params {
  /** How many trees. */
  trees: number;
  /** The fraction of the features each tree sees. */
  maxFeatures: number;
  seed: number;
}

/**
 * An ml.js random forest (ml-random-forest) as an actor: the library does the learning, the
 * actor only hands statekeep its serialised form. Its state is the forest's toJSON(), and
 * setState() revives it with RandomForestClassifier.load().
 *
 * A forest cannot continue training: every train() grows a new forest from the rows it is given
 * (`incremental = false` says so, for the runtime's warm start).
 */
export class RandomForest implements StatefulActor<number[][], number[], unknown, number[]> {
  readonly name: string;
  readonly needs = 'numbers';
  readonly incremental = false;
  readonly stateVersion = 1;
  #params: RandomForestParams = { trees: 16, maxFeatures: 0.8, seed: 3 };
  #forest: RandomForestClassifier | null = null;

  constructor(name = 'model') {
    this.name = name;
  }

  train(rows: number[][], labels: number[]): void {
    this.#forest = new RandomForestClassifier({
      seed: this.#params.seed,
      nEstimators: this.#params.trees,
      maxFeatures: this.#params.maxFeatures,
      replacement: true,
      noOOB: true,
    });
    this.#forest.train(rows, labels);
  }

  apply(rows: number[][]): number[] {
    if (this.#forest === null) throw new Error('the forest is not trained');
    return this.#forest.predict(rows);
  }

  getState(): unknown {
    if (this.#forest === null) throw new Error('the forest is not trained');
    // The codec stores what toJSON() returns for a class instance that has one (ml-matrix's
    // Matrix does), but the trees' nodes are TreeNode instances without toJSON(), which it
    // refuses rather than guess at: the JSON round trip makes the whole forest plain data.
    return JSON.parse(JSON.stringify(this.#forest.toJSON()));
  }

  setState(state: unknown): void {
    this.#forest = RandomForestClassifier.load(state as Parameters<typeof RandomForestClassifier.load>[0]);
  }

  getParams(): RandomForestParams {
    return { ...this.#params };
  }

  setParams(params: Params): void {
    for (const [key, value] of Object.entries(params)) {
      if (!(key in this.#params) || typeof value !== 'number' || !Number.isFinite(value))
        throw new Error(`model parameter ${key} must be a finite number`);
      this.#params = { ...this.#params, [key]: key === 'maxFeatures' ? value : Math.round(value) };
    }
  }
}
