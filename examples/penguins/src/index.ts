import { accuracy } from './accuracy.js';
import { LabelEncoder } from './actors/label-encoder.js';
import { MeanImputer } from './actors/mean-imputer.js';
import { MostFrequentImputer } from './actors/most-frequent-imputer.js';
import { OneHotEncoder } from './actors/one-hot-encoder.js';
import { RandomForest } from './actors/random-forest.js';
import { StandardScaler } from './actors/standard-scaler.js';
import type { Label, ProjectDefinition } from './statekeep.js';

/**
 * Palmer penguins' species from where they live (island), sex and four measurements. The text
 * columns and the numbers go through branches of their own, joined side by side, into an ml.js
 * random forest. States are stored under label-encoder, categorical.imputer,
 * categorical.encoder, numeric.imputer, numeric.scaler and model; the forest's
 * hyper-parameters are "model.trees" and "model.maxFeatures".
 */
const penguins: ProjectDefinition<Label> = {
  label: 'species',
  features: ['island', 'sex', 'bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'],
  ordinal: 'observed_on',
  // Inference would read these right; declared, a mistyped file is refused at its line.
  types: { island: 'text', sex: 'text', body_mass_g: 'number' },
  output: 'predicted_species',
  metric: accuracy,
  pipeline: () => ({
    labels: [new LabelEncoder()],
    steps: [
      {
        branches: {
          categorical: { columns: ['island', 'sex'], steps: [new MostFrequentImputer(), new OneHotEncoder()] },
          numeric: {
            columns: ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'],
            steps: [new MeanImputer(), new StandardScaler()],
          },
        },
        join: 'union',
      },
      new RandomForest('model'),
    ],
  }),
  tuning: {
    space: { 'model.trees': [8, 24], 'model.maxFeatures': [0.5, 1] },
    holdout: 0.3,
    seed: 5,
  },
};

export default penguins;
