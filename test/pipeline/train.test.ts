import { describe, expect, it } from 'vitest';
import { featureMatrix } from '../../src/pipeline/data/columns.js';
import { pickRows, tableFromRecords, type Table } from '../../src/pipeline/data/table.js';
import type { StandardScalerState } from '../../examples/iris/src/actors/standard-scaler.js';
import type { MeanImputerState } from '../../examples/iris/src/actors/mean-imputer.js';
import type { SoftmaxRegressionState } from '../../examples/iris/src/actors/softmax-regression.js';
import { accuracy, bench, column, completeRows, iris, irisData, recorder, stateOf } from './fixtures.js';
import { probeProject, probeRows } from './probe-project.js';

const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];

/** Rows A (first ten days) and B (the last five), complete ones only. */
async function batches(): Promise<{ a: Table; b: Table; all: Table }> {
  const all = completeRows(await irisData());
  const day = column(all, 'measured_on') as string[];
  const pick = (early: boolean) =>
    pickRows(
      all,
      day.flatMap((d, i) => (d <= '2024-03-10' === early ? [i] : [])),
    );
  return { a: pick(true), b: pick(false), all };
}

/** Population statistics, as the scaler keeps them. */
function statistics(table: Table): StandardScalerState {
  const x = featureMatrix(table, FEATURES) as number[][];
  const mean = FEATURES.map((_, c) => x.reduce((s, r) => s + r[c]!, 0) / x.length);
  return { count: x.length, mean, m2: mean.map((m, c) => x.reduce((s, r) => s + (r[c]! - m) ** 2, 0)) };
}

describe('train', () => {
  it('commits one generation: mode train, no parent, training rows and ordinal bounds, metrics, package, a state per stateful actor by name', async () => {
    const b = await bench();
    const manifest = await b.runtime.train({ project: b.project, data: await irisData() });
    expect(manifest).toMatchObject({
      project: 'iris',
      release: '1.0.0',
      generation: 1,
      mode: 'train',
      parent: null,
      tuning: null,
      package: b.project.packageDigest,
    });
    expect(manifest.training).toEqual({ lower: '2024-03-01', upper: '2024-03-15', rows: 150 });
    expect(manifest.states.map((s) => s.actor)).toEqual(['label-encoder', 'mean-imputer', 'standard-scaler', 'model']);
    expect(manifest.states.every((s) => s.codec === b.codec.name)).toBe(true);
    expect(manifest.metrics.accuracy).toBeGreaterThan(0.9);
    expect(Object.keys(manifest.metrics).sort()).toEqual(['accuracy', 'seconds']);
    expect(await b.registry.generations('iris', '1.0.0')).toEqual([1]);
  });

  it('warm-starts from the latest generation: the scaler merges its statistics and the model continues from its weights', async () => {
    const { a, b: rowsB, all } = await batches();
    const b = await bench();
    const one = await b.runtime.train({ project: b.project, data: a });
    const two = await b.runtime.train({ project: b.project, data: rowsB });
    expect(two).toMatchObject({ generation: 2, parent: 1, training: { rows: rowsB.rows.length } });

    const merged = await stateOf<StandardScalerState>(b, two, 'standard-scaler');
    const expected = statistics(all);
    expect(merged.count).toBe(a.rows.length + rowsB.rows.length);
    for (const [c, m] of merged.mean.entries()) expect(m).toBeCloseTo(expected.mean[c]!, 10);
    for (const [c, v] of merged.m2.entries()) expect(v).toBeCloseTo(expected.m2[c]!, 8);
    expect((await stateOf<MeanImputerState>(b, two, 'mean-imputer')).count).toEqual([
      all.rows.length,
      all.rows.length,
      all.rows.length,
      all.rows.length,
    ]);

    // A fresh train on the same rows knows only those rows.
    const fresh = await b.runtime.train({ project: b.project, data: rowsB, fresh: true });
    expect(fresh).toMatchObject({ generation: 3, parent: null });
    expect(await stateOf<StandardScalerState>(b, fresh, 'standard-scaler')).toMatchObject(statistics(rowsB));
    const weights = async (m: typeof one) => (await stateOf<SoftmaxRegressionState>(b, m, 'model')).weights;
    expect(await weights(two)).not.toEqual(await weights(fresh));
    expect(await weights(two)).not.toEqual(await weights(one));

    // The parent's score on the new rows, before training on them, is recorded.
    const before = await b.runtime.apply({ project: b.project, data: rowsB, generation: 1 });
    expect(two.metrics.accuracy_before).toBe(accuracy(before.predictions, column(rowsB, 'species')));
  });

  it('--fresh gives exactly the states a first train on the same rows gives', async () => {
    const { a, b: rowsB } = await batches();
    const warm = await bench();
    await warm.runtime.train({ project: warm.project, data: a });
    const fresh = await warm.runtime.train({ project: warm.project, data: rowsB, fresh: true });
    const first = await bench();
    expect((await first.runtime.train({ project: first.project, data: rowsB })).states).toEqual(fresh.states);
  });

  it('a state the codec cannot store is NOT_SERIALIZABLE, naming the actor, and no generation is written', async () => {
    const b = await bench(probeProject({}), undefined, 'probe');
    const data = tableFromRecords(probeRows(6));
    await b.runtime.train({ project: b.project, data });
    const broken = { ...b.project, definition: probeProject({ fail: 'state' }) };
    await expect(b.runtime.train({ project: broken, data })).rejects.toMatchObject({
      code: 'NOT_SERIALIZABLE',
      data: { actor: 'probe' },
    });
    expect(await b.registry.generations('probe', '1.0.0')).toEqual([1]);
  });

  it('an actor failing to train commits nothing', async () => {
    const b = await bench(probeProject({ fail: 'train' }), undefined, 'probe');
    await expect(b.runtime.train({ project: b.project, data: tableFromRecords(probeRows(3)) })).rejects.toThrow(
      'probe failed to train',
    );
    expect(await b.registry.generations('probe', '1.0.0')).toEqual([]);
  });

  it('refuses data without rows, without the label, or with text in a feature column, naming the line', async () => {
    const b = await bench();
    const data = await irisData('iris-early.csv');
    await expect(b.runtime.train({ project: b.project, data: pickRows(data, []) })).rejects.toMatchObject({
      code: 'BAD_DATA',
    });
    const unlabelled = { ...data, rows: data.rows.map((r, i) => (i === 7 ? [...r.slice(0, 5), null] : r)) };
    await expect(b.runtime.train({ project: b.project, data: unlabelled })).rejects.toMatchObject({
      code: 'BAD_DATA',
      data: { line: 9, column: 'species' },
    });
    const texty = { ...data, rows: data.rows.map((r, i) => (i === 2 ? [r[0]!, 'wide', ...r.slice(2)] : r)) };
    await expect(b.runtime.train({ project: b.project, data: texty })).rejects.toMatchObject({
      code: 'BAD_DATA',
      data: { line: 4, column: 'sepal_length' },
    });
    const { rows, lines, ...rest } = data;
    await expect(
      b.runtime.train({
        project: b.project,
        data: { ...rest, columns: data.columns.slice(0, 5), rows: rows.map((r) => r.slice(0, 5)) },
      }),
    ).rejects.toMatchObject({ code: 'BAD_DATA', data: { column: 'species' } });
    expect(lines).toHaveLength(100);
    expect(await b.registry.generations('iris', '1.0.0')).toEqual([]);
  });

  it('needs the release to exist in the registry', async () => {
    const b = await bench();
    const project = { ...b.project, release: '2.0.0' as typeof b.project.release };
    await expect(b.runtime.train({ project, data: await irisData() })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      data: { what: 'release' },
    });
  });

  it('records the state version, and refuses to load a state written under another one', async () => {
    const b = await bench(probeProject({ stateVersion: 2 }), undefined, 'probe');
    const data = tableFromRecords(probeRows(4));
    const one = await b.runtime.train({ project: b.project, data });
    expect(b.codec.header(await b.registry.readState(one, 'probe')).stateVersion).toBe(2);
    const newer = { ...b.project, definition: probeProject({ stateVersion: 3 }) };
    await expect(b.runtime.train({ project: newer, data })).rejects.toMatchObject({ code: 'INCOMPATIBLE_FORMAT' });
    await expect(b.runtime.apply({ project: newer, data })).rejects.toMatchObject({ code: 'INCOMPATIBLE_FORMAT' });
    expect((await b.runtime.train({ project: newer, data, fresh: true })).parent).toBeNull();
  });

  it('reports progress: the warm start, each stateful actor, the commit', async () => {
    const b = await bench();
    const data = await irisData();
    await b.runtime.train({ project: b.project, data });
    const { events, onProgress } = recorder();
    await b.runtime.train({ project: b.project, data, onProgress });
    expect(events.map((e) => [e.stage, e.done, e.total, e.actor ?? e.generation])).toEqual([
      ['load', 1, 1, 1],
      ['train', 0, 4, 'label-encoder'],
      ['train', 1, 4, 'mean-imputer'],
      ['train', 2, 4, 'standard-scaler'],
      ['train', 3, 4, 'model'],
      ['commit', 1, 1, 2],
    ]);
    expect(events.every((e) => e.run === 'train' && e.elapsedMs === 0 && e.message.length > 0)).toBe(true);
  });

  it('is fed by the project definition it is given, checked first', async () => {
    const b = await bench();
    const project = { ...b.project, definition: { ...iris, metric: undefined } as never };
    await expect(b.runtime.train({ project, data: await irisData() })).rejects.toMatchObject({ code: 'USAGE' });
  });
});
