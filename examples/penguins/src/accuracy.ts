import type { Label, ProjectMetric } from './statekeep.js';

/** The fraction of penguins whose predicted species is the actual one. */
export const accuracy: ProjectMetric<Label> = {
  name: 'accuracy',
  direction: 'max',
  score(predicted, actual) {
    if (actual.length === 0) return 0;
    return predicted.filter((p, i) => p === actual[i]).length / actual.length;
  },
};
