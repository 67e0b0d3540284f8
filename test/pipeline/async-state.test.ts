import { describe, expect, it } from 'vitest';
import { LabelEncoder } from '../../examples/iris/src/actors/label-encoder.js';
import { MeanImputer } from '../../examples/iris/src/actors/mean-imputer.js';
import { StandardScaler } from '../../examples/iris/src/actors/standard-scaler.js';
import { loadGeneration } from '../../src/pipeline/predictor.js';
import type { ProjectDefinition } from '../../src/pipeline/project.js';
import { Runtime } from '../../src/pipeline/runtime.js';
import { accuracy, bench, column, EPOCH, iris, irisData, stateOf } from './fixtures.js';
// @ts-expect-error: a plain .mjs fixture (a TensorFlow.js model as an actor).
import { TfClassifier } from './models/tf-actor.mjs';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

/** A stateful actor whose getState and setState resolve only after a timer: nothing may read them early. */
class SlowCounter {
  readonly name = 'counter';
  seen = 0;
  apply(rows: unknown[][]): unknown[][] {
    return rows.map((row) => [...row.slice(0, -1), this.seen]);
  }
  train(rows: unknown[][]): void {
    this.seen += rows.length;
  }
  async getState(): Promise<{ seen: number }> {
    await tick();
    return { seen: this.seen };
  }
  async setState(state: { seen: number }): Promise<void> {
    await tick();
    this.seen = state.seen;
  }
  getParams() {
    return {};
  }
  setParams(): void {}
}

class Echo {
  readonly name = 'echo';
  apply(rows: unknown[][]): unknown[] {
    return rows.map((row) => row.at(-1));
  }
}

const counting: ProjectDefinition<never> = {
  ...(iris as ProjectDefinition<never>),
  tuning: undefined,
  pipeline: () => ({ steps: [new MeanImputer(), new SlowCounter(), new Echo()] }),
  metric: { name: 'rows', direction: 'max', score: (predicted) => Number(predicted[0]) },
};

const tfIris: ProjectDefinition<never> = {
  ...(iris as ProjectDefinition<never>),
  tuning: undefined,
  pipeline: () => ({
    labels: [new LabelEncoder()],
    steps: [new MeanImputer(), new StandardScaler(), new TfClassifier('model', { classes: 3, epochs: 40 })],
  }),
};

describe('async getState and setState', () => {
  it('a getState promise is awaited before encoding, and a setState promise before applying', async () => {
    const b = await bench(counting);
    const data = await irisData();
    const one = await b.runtime.train({ project: b.project, data });
    expect(await stateOf(b, one, 'counter')).toEqual({ seen: 150 });
    const applied = await b.runtime.apply({ project: b.project, data });
    expect(applied.predictions.every((p) => p === 150)).toBe(true);
    // A warm start loads the state through the async setState, and training continues from it.
    const two = await b.runtime.train({ project: b.project, data });
    expect(await stateOf(b, two, 'counter')).toEqual({ seen: 300 });
  });

  it('a getState that rejects is USER_CODE at getState, and nothing is committed', async () => {
    const b = await bench({
      ...counting,
      pipeline: () => {
        const counter = new SlowCounter();
        counter.getState = async () => {
          await tick();
          throw new Error('weights are on the GPU');
        };
        return { steps: [new MeanImputer(), counter, new Echo()] };
      },
    });
    await expect(b.runtime.train({ project: b.project, data: await irisData() })).rejects.toMatchObject({
      code: 'USER_CODE',
      data: { step: 'getState', actor: 'counter', detail: 'weights are on the GPU' },
    });
    expect(await b.registry.generations('iris', '1.0.0')).toEqual([]);
  });

  it('a TensorFlow.js model saved with tf.io.withSaveHandler keeps raw Float32Array weights and predicts identically after reloading', async () => {
    const b = await bench(tfIris);
    const data = await irisData();
    const trained = await b.runtime.train({ project: b.project, data });
    expect(trained.metrics.accuracy).toBeGreaterThan(0.8);

    const state = await stateOf<{ topology: { class_name: string }; weightSpecs: unknown[]; weights: unknown }>(
      b,
      trained,
      'model',
      1,
    );
    expect(state.weights).toBeInstanceOf(Float32Array);
    // 4×8 + 8 + 8×3 + 3 weights, stored raw: 4 bytes each plus the topology and frame.
    expect((state.weights as Float32Array).length).toBe(67);
    expect(state.weightSpecs).toHaveLength(4);
    expect(state.topology.class_name).toBe('Sequential');

    // A fresh runtime over the same registry: fresh actors, the state set through the async setState.
    const again = new Runtime(b.registry, b.codec, () => EPOCH);
    const applied = await again.apply({ project: b.project, data });
    expect(accuracy(applied.predictions, column(data, 'species'))).toBe(trained.metrics.accuracy);
    const predictor = await loadGeneration(
      b.registry,
      'iris',
      { release: b.project.release, generation: trained.generation },
      { codec: b.codec, code: async () => b.project },
    );
    const records = data.rows.map((row) => Object.fromEntries(data.columns.map((c, i) => [c, row[i]!])));
    expect(await predictor.predict(records)).toEqual(applied.predictions);

    // The weights themselves are identical after a reload: the probabilities match bit for bit.
    const first = new TfClassifier();
    await first.setState(state);
    const second = new TfClassifier();
    await second.setState(await first.getState());
    const rows = [
      [0.1, -1, 0.5, 2],
      [-1, 1, -1, -1],
    ];
    expect(second.probabilities(rows)).toEqual(first.probabilities(rows));
  }, 60_000);
});
