import { describe, expect, it } from 'vitest';
import { tableFromRecords } from '../../src/pipeline/data/table.js';
import type { StandardScalerState } from '../../examples/iris/src/actors/standard-scaler.js';
import { bench, irisData, stateOf } from './fixtures.js';
import { probeProject, probeRows, type ProbeState } from './probe-project.js';

describe('train --since-last', () => {
  it("trains only the rows after the latest generation's upper ordinal, and records their bounds", async () => {
    const b = await bench();
    const one = await b.runtime.train({ project: b.project, data: await irisData('iris-early.csv') });
    expect(one.training).toEqual({ lower: '2024-03-01', upper: '2024-03-10', rows: 100 });
    const two = await b.runtime.train({ project: b.project, data: await irisData(), sinceLast: true });
    expect(two).toMatchObject({
      generation: 2,
      parent: 1,
      training: { lower: '2024-03-11', upper: '2024-03-15', rows: 50 },
    });
    // The 100 old rows were not trained on again: the scaler has seen each row once.
    expect((await stateOf<StandardScalerState>(b, two, 'standard-scaler')).count).toBe(150);
  });

  it('with no new rows it is BAD_DATA saying so, with reason "nothing-new", and commits nothing', async () => {
    const b = await bench();
    const data = await irisData();
    await b.runtime.train({ project: b.project, data });
    await expect(b.runtime.train({ project: b.project, data, sinceLast: true })).rejects.toMatchObject({
      code: 'BAD_DATA',
      data: { column: 'measured_on', reason: 'nothing-new', latest: 1, upper: '2024-03-15' },
    });
    expect(await b.registry.generations('iris', '1.0.0')).toEqual([1]);
  });

  it('with no generation yet it trains on every row', async () => {
    const b = await bench();
    expect((await b.runtime.train({ project: b.project, data: await irisData(), sinceLast: true })).training).toEqual({
      lower: '2024-03-01',
      upper: '2024-03-15',
      rows: 150,
    });
  });

  it("after a rollback it continues from the rolled-back generation's upper ordinal", async () => {
    const b = await bench();
    await b.runtime.train({ project: b.project, data: await irisData('iris-early.csv') });
    await b.runtime.train({ project: b.project, data: await irisData(), sinceLast: true });
    await b.registry.rollback('iris', '1.0.0', 1);
    const four = await b.runtime.train({ project: b.project, data: await irisData(), sinceLast: true });
    expect(four).toMatchObject({ generation: 4, parent: 3, training: { lower: '2024-03-11', rows: 50 } });
    expect((await stateOf<StandardScalerState>(b, four, 'standard-scaler')).count).toBe(150);
  });

  it('is USAGE without an ordinal column, or together with --fresh', async () => {
    const b = await bench(probeProject({}), undefined, 'probe');
    const data = tableFromRecords(probeRows(3));
    await expect(b.runtime.train({ project: b.project, data, sinceLast: true })).rejects.toMatchObject({
      code: 'USAGE',
      data: { argument: 'since-last' },
    });
    const iris = await bench();
    await expect(
      iris.runtime.train({ project: iris.project, data: await irisData(), sinceLast: true, fresh: true }),
    ).rejects.toMatchObject({ code: 'USAGE' });
    expect(await b.registry.generations('probe', '1.0.0')).toEqual([]);
  });

  it('compares timestamps as instants across offsets and stores them as the data spelt them', async () => {
    const b = await bench(probeProject({ ordinal: 'n' }), undefined, 'probe');
    const first = ['2024-03-01T10:00:00+02:00', '2024-03-01T09:00:00Z', '2024-03-01T11:30:00+03:00'];
    const one = await b.runtime.train({ project: b.project, data: tableFromRecords(probeRows(3, (i) => first[i]!)) });
    expect(one.training).toEqual({ lower: '2024-03-01T10:00:00+02:00', upper: '2024-03-01T09:00:00Z', rows: 3 });
    // 10:00+01:00 is the upper instant itself, so not after it; only one row is new.
    const next = ['2024-03-01T10:00:00+01:00', '2024-03-01T09:00:01Z', '2024-03-01T08:59:00Z'];
    const two = await b.runtime.train({
      project: b.project,
      data: tableFromRecords(probeRows(3, (i) => next[i]!)),
      sinceLast: true,
    });
    expect(two.training).toEqual({ lower: '2024-03-01T09:00:01Z', upper: '2024-03-01T09:00:01Z', rows: 1 });
    expect((await stateOf<ProbeState>(b, two, 'probe')).rows).toBe(4);
  });

  it('honours numeric ordinals, and refuses a column that changed kind', async () => {
    const b = await bench(probeProject({ ordinal: 'n' }), undefined, 'probe');
    await b.runtime.train({ project: b.project, data: tableFromRecords(probeRows(5, (i) => 10 * i)) });
    const two = await b.runtime.train({
      project: b.project,
      data: tableFromRecords(probeRows(8, (i) => 10 * i)),
      sinceLast: true,
    });
    expect(two.training).toEqual({ lower: 50, upper: 70, rows: 3 });
    const dated = tableFromRecords(probeRows(2, () => '2030-01-01'));
    await expect(b.runtime.train({ project: b.project, data: dated, sinceLast: true })).rejects.toMatchObject({
      code: 'BAD_DATA',
    });
    const mixed = tableFromRecords(probeRows(2, (i) => (i === 0 ? 1 : '2030-01-01')));
    await expect(b.runtime.train({ project: b.project, data: mixed })).rejects.toMatchObject({
      code: 'BAD_DATA',
      data: { column: 'n' },
    });
    expect(await b.registry.generations('probe', '1.0.0')).toEqual([1, 2]);
  });
});
