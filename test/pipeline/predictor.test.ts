import { describe, expect, it } from 'vitest';
import { followPredictor } from '../../src/pipeline/follow.js';
import { loadPredictor, type Predictor } from '../../src/pipeline/predictor.js';
import type { ProjectDefinition } from '../../src/pipeline/project.js';
import { tableFromRecords } from '../../src/pipeline/data/table.js';
import { accuracy, bench, column, irisData, type Bench } from './fixtures.js';

const ROW = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };

/** iris with two generations: #1 on the early rows, #2 on all of them; and the predictor options. */
async function trained(): Promise<{ b: Bench; code: () => Promise<Bench['project']> }> {
  const b = await bench();
  await b.runtime.train({ project: b.project, data: await irisData('iris-early.csv') });
  await b.runtime.train({ project: b.project, data: await irisData(), fresh: true });
  return { b, code: async () => b.project };
}

function until(condition: () => boolean, ms = 5000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (condition()) resolve();
      else if (Date.now() - start > ms) reject(new Error('condition not met in time'));
      else setTimeout(check, 10);
    };
    check();
  });
}

describe('loadPredictor', () => {
  it('loads a generation once and predicts in memory what apply predicts', async () => {
    const { b, code } = await trained();
    const data = await irisData();
    let reads = 0;
    const readStates = b.registry.readStates.bind(b.registry);
    b.registry.readStates = (m) => {
      reads += 1;
      return readStates(m);
    };
    const predictor = await loadPredictor(b.registry, 'iris', { codec: b.codec, code });
    expect(predictor).toMatchObject({ project: 'iris', release: '1.0.0', generation: 2, column: 'predicted_species' });
    const applied = await b.runtime.apply({ project: b.project, data });
    reads = 0;
    expect(await predictor.predict(data)).toEqual(applied.predictions);
    const records = data.rows.map((row) => Object.fromEntries(data.columns.map((c, i) => [c, row[i]!])));
    expect(await predictor.predict(records)).toEqual(applied.predictions);
    expect(reads).toBe(0);
    expect(accuracy(await predictor.predict(data), column(data, 'species'))).toBeGreaterThan(0.9);
  });

  it('loads the generation a number or an alias names', async () => {
    const { b, code } = await trained();
    const data = await irisData();
    const one = await b.runtime.apply({ project: b.project, data, generation: 1 });
    const byNumber = await loadPredictor(b.registry, 'iris', { at: 1, release: '1.0.0', codec: b.codec, code });
    expect(byNumber.generation).toBe(1);
    expect(await byNumber.predict(data)).toEqual(one.predictions);
    await b.registry.setAlias('iris', 'production', { release: '1.0.0', generation: 1 });
    const byAlias = await loadPredictor(b.registry, 'iris', { at: '@production', codec: b.codec, code });
    expect(byAlias.generation).toBe(1);
    await expect(loadPredictor(b.registry, 'iris', { at: '@staging', codec: b.codec, code })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      loadPredictor(b.registry, 'iris', { at: '@production', release: '1.0.0', codec: b.codec, code }),
    ).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('refuses rows that are not flat records, or that miss a feature column, as BAD_DATA', async () => {
    const { b, code } = await trained();
    const predictor = await loadPredictor(b.registry, 'iris', { codec: b.codec, code });
    for (const rows of [[1], [null], [[1, 2]], [{ ...ROW, sepal_length: { a: 1 } }], [{ ...ROW, petal_width: NaN }]])
      await expect(predictor.predict(rows as never)).rejects.toMatchObject({ code: 'BAD_DATA' });
    const { petal_width: _, ...missing } = ROW;
    await expect(predictor.predict([missing])).rejects.toMatchObject({ code: 'BAD_DATA' });
    expect(await predictor.predict([])).toEqual([]);
    expect(await predictor.predict([ROW])).toEqual(['setosa']);
  });

  it("reports an exception of the project's actor as USER_CODE naming the actor", async () => {
    class Model {
      readonly name = 'model';
      train(): void {}
      apply(rows: unknown[]): number[] {
        if (rows.length > 1) throw new Error('too many');
        return rows.map(() => 1);
      }
      getState(): { k: number } {
        return { k: 1 };
      }
      setState(): void {}
    }
    const definition: ProjectDefinition<number> = {
      pipeline: () => ({ steps: [new Model()] }),
      label: 'y',
      metric: { name: 'zero', direction: 'min', score: () => 0 },
    };
    const b = await bench(definition as never);
    await b.runtime.train({ project: b.project, data: tableFromRecords([{ x: 1, y: 1 }]) });
    const predictor = await loadPredictor(b.registry, 'iris', { codec: b.codec, code: async () => b.project });
    expect(await predictor.predict([{ x: 1 }])).toEqual([1]);
    await expect(predictor.predict([{ x: 1 }, { x: 2 }])).rejects.toMatchObject({
      code: 'USER_CODE',
      data: { step: 'apply', actor: 'model' },
    });
  });
});

describe('followPredictor', () => {
  it('swaps to where the alias moves, keeps serving when a generation fails to load, and stops on close', async () => {
    const { b, code } = await trained();
    await b.registry.setAlias('iris', 'production', { release: '1.0.0', generation: 1 });
    const changes: number[] = [];
    const errors: unknown[] = [];
    const follower = await followPredictor(b.registry, 'iris', {
      at: '@production',
      intervalMs: 20,
      codec: b.codec,
      code,
      onChange: (now: Predictor) => changes.push(now.generation),
      onError: (error) => errors.push(error),
    });
    expect(follower.current().generation).toBe(1);
    await b.registry.setAlias('iris', 'production', { release: '1.0.0', generation: 2 });
    await until(() => follower.current().generation === 2);
    expect(changes).toEqual([2]);

    // A generation without the pipeline's states cannot load: the old one keeps serving.
    const broken = await b.registry.commit({
      project: 'iris',
      release: '1.0.0',
      mode: 'train',
      parent: null,
      training: { lower: 0, upper: 0, rows: 1 },
      metrics: {},
      states: [],
    });
    await b.registry.setAlias('iris', 'production', { release: '1.0.0', generation: broken.generation });
    await until(() => errors.length > 0);
    expect(errors[0]).toMatchObject({ code: 'NOT_FOUND', data: { what: 'state' } });
    expect(follower.current().generation).toBe(2);
    expect(await follower.current().predict([ROW])).toEqual(['setosa']);

    await b.registry.setAlias('iris', 'production', { release: '1.0.0', generation: 1 });
    await until(() => follower.current().generation === 1);
    follower.close();
    await b.registry.setAlias('iris', 'production', { release: '1.0.0', generation: 2 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(follower.current().generation).toBe(1);
    expect(changes).toEqual([2, 1]);
    expect(errors).toHaveLength(1);
  });

  it('follows the latest generation when no alias is named', async () => {
    const { b, code } = await trained();
    const follower = await followPredictor(b.registry, 'iris', { intervalMs: 20, codec: b.codec, code });
    expect(follower.current().generation).toBe(2);
    await b.runtime.train({ project: b.project, data: await irisData() });
    await until(() => follower.current().generation === 3);
    follower.close();
  });

  it('does not poll a generation named by its number', async () => {
    const { b, code } = await trained();
    let polls = 0;
    const manifest = b.registry.manifest.bind(b.registry);
    b.registry.manifest = (...args: Parameters<typeof manifest>) => {
      polls += 1;
      return manifest(...args);
    };
    const follower = await followPredictor(b.registry, 'iris', {
      at: 1,
      release: '1.0.0',
      intervalMs: 10,
      codec: b.codec,
      code,
    });
    expect(follower.current().generation).toBe(1);
    polls = 0;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(polls).toBe(0);
    follower.close();
  });
});
