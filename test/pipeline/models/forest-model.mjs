// An ml.js random forest as a PersistentModel object: its state is its toJSON(), as plain data.
import { RandomForestClassifier } from 'ml-random-forest';

export class ForestModel {
  stateVersion = 1;
  forest = null;

  train(rows, labels) {
    this.forest = new RandomForestClassifier({
      seed: 7,
      nEstimators: 12,
      maxFeatures: 1.0,
      replacement: true,
      noOOB: true,
    });
    this.forest.train(rows, labels);
  }

  predict(rows) {
    return this.forest.predict(rows);
  }

  getState() {
    return JSON.parse(JSON.stringify(this.forest.toJSON()));
  }

  setState(state) {
    this.forest = RandomForestClassifier.load(state);
  }
}

/** Made-up data: two noisy features, the label says whether their sum passes 1. */
export function madeUpRows(count, seed) {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const rows = [];
  const labels = [];
  for (let i = 0; i < count; i++) {
    const row = [next(), next(), next()];
    rows.push(row);
    labels.push(row[0] + row[1] > 1 ? 1 : 0);
  }
  return { rows, labels };
}
