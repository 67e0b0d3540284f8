// A TensorFlow.js model as a PersistentModel object: the architecture is the program's code, the
// state is its weights, each a Float32Array with its shape (stored raw by the CBOR codec).
import * as tf from '@tensorflow/tfjs';

export async function cpu() {
  await tf.setBackend('cpu');
  return tf;
}

export class TfModel {
  stateVersion = 1;

  constructor() {
    this.model = tf.sequential({
      layers: [
        tf.layers.dense({
          inputShape: [3],
          units: 8,
          activation: 'relu',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        }),
        tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
      ],
    });
    this.model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
  }

  async train(rows, targets) {
    await this.model.fit(tf.tensor2d(rows), tf.tensor2d(targets, [targets.length, 1]), {
      epochs: 20,
      verbose: 0,
      shuffle: false,
    });
  }

  predict(rows) {
    return Array.from(this.model.predict(tf.tensor2d(rows)).dataSync());
  }

  getState() {
    return { weights: this.model.getWeights().map((w) => ({ shape: w.shape, values: w.dataSync() })) };
  }

  setState(state) {
    this.model.setWeights(state.weights.map((w) => tf.tensor(w.values, w.shape)));
  }
}
