import { describe, expect, it } from 'vitest';
import type { Cell, Table } from '../../src/pipeline/data/table.js';
import { bench, iris, irisData, recorder } from './fixtures.js';

const IRIS = 'examples/iris/data/iris.csv';

function records(table: Table): Record<string, Cell>[] {
  return table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c, row[i] ?? null])));
}

const digests = (m: { states: { actor: string; digest: string }[] }) => m.states.map((s) => [s.actor, s.digest]);

describe('the runtime from code: data as rows in memory, a Table or a file path', () => {
  it('train from rows in memory commits the same states as from the file and from its Table', async () => {
    const rows = records(await irisData());
    const fromRows = await bench();
    const { events, onProgress } = recorder();
    const a = await fromRows.runtime.train({ project: fromRows.project, data: rows, onProgress });
    const fromPath = await bench();
    const b = await fromPath.runtime.train({ project: fromPath.project, data: IRIS });
    const fromTable = await bench();
    const c = await fromTable.runtime.train({ project: fromTable.project, data: await irisData() });
    expect(a).toMatchObject({ generation: 1, mode: 'train', training: b.training });
    expect(digests(a)).toEqual(digests(b));
    expect(digests(c)).toEqual(digests(b));
    expect(a.metrics.accuracy).toBe(b.metrics.accuracy);
    expect(events.map((e) => e.stage)).toContain('commit');
  });

  it('apply to rows in memory predicts as apply to the file, one prediction per row', async () => {
    const b = await bench();
    await b.runtime.train({ project: b.project, data: IRIS });
    const rows = records(await irisData()).slice(0, 7);
    const features = rows.map(({ species: _species, ...rest }) => rest);
    const fromRows = await b.runtime.apply({ project: b.project, data: features });
    const fromPath = await b.runtime.apply({ project: b.project, data: IRIS });
    expect(fromRows.manifest.generation).toBe(1);
    expect(fromRows.predictions).toEqual(fromPath.predictions.slice(0, 7));
    expect(fromRows.predictions.filter((p) => typeof p === 'string')).toHaveLength(7);
    expect(fromRows.column).toBe(iris.output ?? 'prediction');
    expect((await b.runtime.apply({ project: b.project, data: [] })).predictions).toEqual([]);
  });

  it('tune from rows in memory commits a tune generation', async () => {
    const b = await bench();
    const rows = records(await irisData());
    const tuned = await b.runtime.tune({ project: b.project, data: rows });
    expect(tuned).toMatchObject({
      generation: 1,
      mode: 'tune',
      tuning: { trials: 9 },
      training: { rows: rows.length },
    });
  });

  it('refuses rows it cannot use with BAD_DATA naming the row and column; nothing is committed', async () => {
    const b = await bench();
    const good = records(await irisData()).slice(0, 20);
    const cases: [unknown[], Record<string, unknown>][] = [
      [[...good, 'oops'], { file: 'rows in memory', row: 21 }],
      [[{ ...good[0], sepal_length: true }], { row: 1, column: 'sepal_length' }],
      [[{ ...good[0], sepal_length: Number.NaN }], { row: 1, column: 'sepal_length' }],
      [[{ ...good[0], sepal_length: [1] }], { row: 1, column: 'sepal_length' }],
      [good.map(({ species: _species, ...rest }) => rest), { column: 'species' }],
      [[{ ...good[0], sepal_length: 'wide' }], { column: 'sepal_length' }],
    ];
    for (const [data, expected] of cases) {
      await expect(b.runtime.train({ project: b.project, data: data as never })).rejects.toMatchObject({
        code: 'BAD_DATA',
        data: expected,
      });
    }
    await expect(b.runtime.train({ project: b.project, data: 42 as never })).rejects.toMatchObject({
      code: 'BAD_DATA',
    });
    await expect(b.runtime.train({ project: b.project, data: 'missing.csv' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await b.registry.generations('iris', '1.0.0')).toEqual([]);
  });
});
