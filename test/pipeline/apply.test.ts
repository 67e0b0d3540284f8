import { describe, expect, it } from 'vitest';
import { tableSpec } from '../../src/pipeline/data/columns.js';
import { parseTable } from '../../src/pipeline/data/read-table.js';
import { pickRows, tableFromRecords } from '../../src/pipeline/data/table.js';
import { accuracy, bench, column, irisData } from './fixtures.js';
import { probeProject, probeRows } from './probe-project.js';

describe('apply', () => {
  it('loads the latest generation into fresh actors and predicts every row, in row order', async () => {
    const b = await bench();
    const data = await irisData();
    const trained = await b.runtime.train({ project: b.project, data });
    const result = await b.runtime.apply({ project: b.project, data });
    expect(result.manifest).toEqual(trained);
    expect(result.column).toBe('predicted_species');
    expect(result.predictions).toHaveLength(150);
    expect(accuracy(result.predictions, column(data, 'species'))).toBe(trained.metrics.accuracy);
    const reversed = pickRows(
      data,
      data.rows.map((_, i) => data.rows.length - 1 - i),
    );
    expect((await b.runtime.apply({ project: b.project, data: reversed })).predictions).toEqual(
      [...result.predictions].reverse(),
    );
  });

  it('applying the same generation twice gives identical output', async () => {
    const b = await bench();
    const data = await irisData();
    await b.runtime.train({ project: b.project, data: await irisData('iris-early.csv') });
    const one = await b.runtime.apply({ project: b.project, data, generation: 1 });
    const two = await b.runtime.apply({ project: b.project, data, generation: '1' });
    expect(two.predictions).toEqual(one.predictions);
  });

  it("a rollback generation reuses its target's digests, and applying it equals applying the target", async () => {
    const b = await bench();
    const data = await irisData();
    const one = await b.runtime.train({ project: b.project, data: await irisData('iris-early.csv') });
    const two = await b.runtime.train({ project: b.project, data, sinceLast: true });
    expect(two.states).not.toEqual(one.states);
    const three = await b.registry.rollback('iris', '1.0.0', 1);
    expect(three.states).toEqual(one.states);
    const ofTarget = await b.runtime.apply({ project: b.project, data, generation: 1 });
    const latest = await b.runtime.apply({ project: b.project, data });
    expect(latest.manifest.generation).toBe(3);
    expect(latest.predictions).toEqual(ofTarget.predictions);
  });

  it('needs no label column, and reads blanks as missing', async () => {
    const b = await bench();
    await b.runtime.train({ project: b.project, data: await irisData() });
    const text = 'sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n,,6.0,2.5\n';
    const data = parseTable(text, 'new.csv', 'csv', tableSpec(b.project.definition, 'apply'));
    expect((await b.runtime.apply({ project: b.project, data })).predictions).toEqual(['setosa', 'virginica']);
  });

  it('a text cell in a feature column is BAD_DATA at its line', async () => {
    const b = await bench();
    await b.runtime.train({ project: b.project, data: await irisData() });
    const data = parseTable(
      'sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n5.1,wide,1.4,0.2\n',
      'new.csv',
      'csv',
    );
    await expect(b.runtime.apply({ project: b.project, data })).rejects.toMatchObject({
      code: 'BAD_DATA',
      data: { file: 'new.csv', line: 3, column: 'sepal_width' },
    });
  });

  it('is NOT_FOUND before any generation, for an unknown generation, and for a stateful actor the generation holds no state of', async () => {
    const b = await bench(probeProject({}), undefined, 'probe');
    const data = tableFromRecords(probeRows(4));
    await expect(b.runtime.apply({ project: b.project, data })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      data: { what: 'generation' },
    });
    await b.runtime.train({ project: b.project, data });
    await expect(b.runtime.apply({ project: b.project, data, generation: 7 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      data: { what: 'generation', generation: 7 },
    });
    const grown = { ...b.project, definition: probeProject({ extra: true }) };
    await expect(b.runtime.apply({ project: grown, data })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      data: { what: 'state', actor: 'extra', generation: 1 },
    });
    // Training the grown pipeline warm-starts what it can; the new actor trains from scratch.
    const two = await b.runtime.train({ project: grown, data });
    expect(two.parent).toBe(1);
    expect(two.states.map((s) => s.actor)).toEqual(['probe', 'extra']);
  });
});
