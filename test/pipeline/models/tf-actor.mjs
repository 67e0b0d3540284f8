// A TensorFlow.js classifier as a pipeline actor, saved the library's own way: model.save() with
// tf.io.withSaveHandler (asynchronous, so getState returns a promise). The state is the model's
// topology (plain JSON) and weight specs, and its weights as one raw Float32Array.
import * as tf from '@tensorflow/tfjs';

export class TfClassifier {
  stateVersion = 1;
  model = null;

  constructor(name = 'model', { classes = 3, epochs = 30 } = {}) {
    this.name = name;
    this.classes = classes;
    this.epochs = epochs;
  }

  getParams() {
    return { epochs: this.epochs };
  }

  setParams(params) {
    if (typeof params.epochs === 'number') this.epochs = params.epochs;
  }

  #build(features) {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({
          inputShape: [features],
          units: 8,
          activation: 'relu',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        }),
        tf.layers.dense({
          units: this.classes,
          activation: 'softmax',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
        }),
      ],
    });
    return this.#compile(model);
  }

  #compile(model) {
    model.compile({ optimizer: tf.train.sgd(0.3), loss: 'sparseCategoricalCrossentropy' });
    return model;
  }

  async train(rows, labels) {
    await tf.setBackend('cpu');
    this.model ??= this.#build(rows[0].length);
    const x = tf.tensor2d(rows);
    const y = tf.tensor1d(labels, 'float32');
    await this.model.fit(x, y, { epochs: this.epochs, verbose: 0, shuffle: false, batchSize: 32 });
    x.dispose();
    y.dispose();
  }

  apply(rows) {
    return tf.tidy(() => Array.from(this.model.predict(tf.tensor2d(rows)).argMax(-1).dataSync()));
  }

  /** The class probabilities, to compare predictions exactly. */
  probabilities(rows) {
    return tf.tidy(() => Array.from(this.model.predict(tf.tensor2d(rows)).dataSync()));
  }

  async getState() {
    let saved;
    await this.model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
      }),
    );
    const weightData = tf.io.CompositeArrayBuffer.join(saved.weightData);
    return {
      topology: saved.modelTopology,
      weightSpecs: saved.weightSpecs,
      weights: new Float32Array(weightData),
    };
  }

  async setState(state) {
    await tf.setBackend('cpu');
    const weights = state.weights;
    const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength);
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: state.topology, weightSpecs: state.weightSpecs, weightData }),
    );
    this.model = this.#compile(model);
  }
}
