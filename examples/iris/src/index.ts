import { accuracy } from './accuracy.js';
import { LabelEncoder } from './actors/label-encoder.js';
import { MeanImputer } from './actors/mean-imputer.js';
import { SoftmaxRegression } from './actors/softmax-regression.js';
import { StandardScaler } from './actors/standard-scaler.js';
import type { Label, ProjectDefinition } from './statekeep.js';

/**
 * Iris species from four measurements. States are stored under the actor names
 * label-encoder, mean-imputer, standard-scaler (derived from the class names) and model
 * (given), so hyper-parameters are addressed as "model.learningRate" and so on.
 */
const iris: ProjectDefinition<Label> = {
  label: 'species',
  features: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'],
  ordinal: 'measured_on',
  output: 'predicted_species',
  metric: accuracy,
  pipeline: () => ({
    labels: [new LabelEncoder()],
    steps: [new MeanImputer(), new StandardScaler(), new SoftmaxRegression('model')],
  }),
  tuning: {
    space: {
      'model.learningRate': [0.05, 0.2, 0.8],
      'model.l2': [0, 0.01, 0.1],
    },
    holdout: 0.3,
    seed: 7,
  },
};

export default iris;
