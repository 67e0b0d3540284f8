import { RandomForestClassifier } from 'ml-random-forest';
import { describe, expect, it } from 'vitest';
import { LabelEncoder } from '../../examples/iris/src/actors/label-encoder.js';
import { StandardScaler } from '../../examples/iris/src/actors/standard-scaler.js';
import { pickRows, type Table } from '../../src/pipeline/data/table.js';
import type { ProjectDefinition } from '../../src/pipeline/project.js';
import type { ActorName } from '../../src/registry/names.js';
import { accuracy, bench, column, iris, irisData, recorder } from './fixtures.js';

/** An ml.js random forest as an actor: train() refits from scratch, so it declares incremental: false. */
class Forest {
  readonly name = 'forest';
  readonly incremental: boolean;
  trainedOn = 0;
  #forest: RandomForestClassifier | null = null;
  constructor(incremental: boolean) {
    this.incremental = incremental;
  }
  train(rows: number[][], labels: number[]): void {
    this.#forest = new RandomForestClassifier({ seed: 5, nEstimators: 15, maxFeatures: 1.0, noOOB: true });
    this.#forest.train(rows, labels);
    this.trainedOn = rows.length;
  }
  apply(rows: number[][]): number[] {
    return this.#forest!.predict(rows);
  }
  // The library's own serialised form; the codec stores what its toJSON() returns.
  getState(): unknown {
    return this.#forest;
  }
  setState(state: unknown): void {
    this.#forest = RandomForestClassifier.load(state as never);
  }
  getParams() {
    return {};
  }
  setParams(): void {}
}

/** Blanks as 0: a stateless step, so the only states are the encoder's, the scaler's and the forest's. */
class Filled {
  readonly name = 'filled';
  apply(rows: (number | null)[][]): number[][] {
    return rows.map((row) => row.map((v) => v ?? 0));
  }
}

function forestIris(incremental: boolean, withScaler = false): ProjectDefinition<never> {
  return {
    ...(iris as ProjectDefinition<never>),
    tuning: undefined,
    pipeline: () => ({
      labels: [new LabelEncoder()],
      steps: [new Filled(), ...(withScaler ? [new StandardScaler()] : []), new Forest(incremental)],
    }),
  };
}

const earlyRows = async (): Promise<Table> => irisData('iris-early.csv');

describe('an actor that cannot continue training (incremental: false)', () => {
  it('train --since-last retrains it on every row the lineage has seen: accuracy on the earlier rows holds', async () => {
    const early = await earlyRows();
    const all = await irisData();
    const scoreOnEarly = async (b: Awaited<ReturnType<typeof bench>>, generation: number) =>
      accuracy(
        (await b.runtime.apply({ project: b.project, data: early, generation })).predictions,
        column(early, 'species'),
      );

    const kept = await bench(forestIris(false));
    await kept.runtime.train({ project: kept.project, data: early });
    const { events, onProgress } = recorder();
    const two = await kept.runtime.train({ project: kept.project, data: all, sinceLast: true, onProgress });
    expect(two.training).toEqual({ lower: '2024-03-11', upper: '2024-03-15', rows: 50 });
    expect(two.warmStart).toEqual({
      'label-encoder': { start: 'continued' },
      forest: { start: 'retrained', training: { lower: '2024-03-01', upper: '2024-03-15', rows: 150 } },
    });
    expect(events.find((e) => e.stage === 'load')?.message).toBe(
      'warm start from generation 1: 1 states loaded; retraining forest from scratch on 150 rows',
    );
    // Retrained on the lineage's 150 rows, it predicts exactly as a forest trained fresh on them.
    const fresh = await kept.runtime.train({ project: kept.project, data: all, fresh: true });
    const applied = async (generation: number) =>
      (await kept.runtime.apply({ project: kept.project, data: all, generation })).predictions;
    expect(await applied(2)).toEqual(await applied(fresh.generation));
    const heldUp = await scoreOnEarly(kept, 2);
    expect(heldUp).toBeGreaterThanOrEqual(0.98);

    // The same forest without the flag is warm-started in name only: trained on the 50 new rows, it forgets.
    const lost = await bench(forestIris(true));
    await lost.runtime.train({ project: lost.project, data: early });
    const forgot = await lost.runtime.train({ project: lost.project, data: all, sinceLast: true });
    expect(forgot.warmStart).toEqual({ 'label-encoder': { start: 'continued' }, forest: { start: 'continued' } });
    expect(await scoreOnEarly(lost, 2)).toBeLessThan(heldUp);
  });

  it('every stateful actor after it is retrained too; the ones before it continue', async () => {
    const definition = forestIris(true, true);
    const base = definition.pipeline;
    // A scaler that cannot continue, in front of a forest that could: the forest learned from the old scaling.
    const b = await bench({
      ...definition,
      pipeline: (params) => {
        const p = base(params);
        const scaler = p.steps[1] as StandardScaler & { incremental?: boolean };
        Object.defineProperty(scaler, 'incremental', { value: false });
        return p;
      },
    });
    await b.runtime.train({ project: b.project, data: await earlyRows() });
    const two = await b.runtime.train({ project: b.project, data: await irisData(), sinceLast: true });
    expect(two.warmStart).toEqual({
      'label-encoder': { start: 'continued' },
      'standard-scaler': { start: 'retrained', training: { lower: '2024-03-01', upper: '2024-03-15', rows: 150 } },
      forest: { start: 'retrained', training: { lower: '2024-03-01', upper: '2024-03-15', rows: 150 } },
    });
  });

  it('--since-last refuses with BAD_DATA when the data file lacks the rows the lineage saw, and commits nothing', async () => {
    const b = await bench(forestIris(false));
    await b.runtime.train({ project: b.project, data: await earlyRows() });
    const all = await irisData();
    const dates = column(all, 'measured_on') as string[];
    const lateOnly = pickRows(
      all,
      dates.flatMap((d, i) => (d > '2024-03-10' ? [i] : [])),
    );
    await expect(b.runtime.train({ project: b.project, data: lateOnly, sinceLast: true })).rejects.toMatchObject({
      code: 'BAD_DATA',
      data: { column: 'measured_on' },
    });
    expect(await b.registry.generations('iris', '1.0.0')).toEqual([1]);
  });

  it('a warm start on all rows retrains it on them; a fresh run records no warm start; incremental must be a boolean', async () => {
    const b = await bench(forestIris(false));
    const one = await b.runtime.train({ project: b.project, data: await earlyRows() });
    expect(one.warmStart).toBeUndefined();
    const two = await b.runtime.train({ project: b.project, data: await irisData() });
    expect(two.warmStart?.['forest' as ActorName]).toEqual({
      start: 'retrained',
      training: { lower: '2024-03-01', upper: '2024-03-15', rows: 150 },
    });
    // It reads back from the stored manifest.
    expect((await b.registry.manifest('iris', '1.0.0', 2)).warmStart).toEqual(two.warmStart);

    const bad = await bench({
      ...forestIris(false),
      pipeline: () => ({
        labels: [new LabelEncoder()],
        steps: [new Filled(), Object.assign(new Forest(false), { incremental: 'no' })],
      }),
    });
    await expect(bad.runtime.train({ project: bad.project, data: await earlyRows() })).rejects.toMatchObject({
      code: 'USAGE',
    });
    expect(await bad.registry.generations('iris', '1.0.0')).toEqual([]);
  });
});
