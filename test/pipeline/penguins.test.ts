import { describe, expect, it, vi } from 'vitest';
import penguins from '../../examples/penguins/src/index.js';
import { tableSpec } from '../../src/pipeline/data/columns.js';
import { readTable } from '../../src/pipeline/data/read-table.js';
import { loadPredictor } from '../../src/pipeline/predictor.js';
import { bench, stateOf } from './fixtures.js';

// Forests of 344 rows, on two cores that other test files share.
vi.setConfig({ testTimeout: 120_000 });

const data = () => readTable('examples/penguins/data/penguins.csv', tableSpec(penguins, 'train'));

describe('the penguins example in memory', () => {
  it('reads its columns typed: text with missing cells, numbers with missing cells', async () => {
    const table = await data();
    const types = Object.fromEntries(table.typedColumns().map((c) => [c.name, c.type]));
    expect(types).toEqual({
      observed_on: 'timestamp',
      island: 'text',
      sex: 'text',
      bill_length_mm: 'number',
      bill_depth_mm: 'number',
      flipper_length_mm: 'number',
      body_mass_g: 'number',
      species: 'text',
    });
    const missing = (name: string) => table.rows.filter((r) => r[table.columns.indexOf(name)] === null).length;
    expect([missing('sex'), missing('bill_length_mm'), missing('island')]).toEqual([11, 2, 0]);
  });

  it('serves what apply predicts, fills missing cells, and predicts a penguin from an island it never saw', async () => {
    const b = await bench(penguins as never, undefined, 'penguins');
    const manifest = await b.runtime.train({ project: b.project, data: await data() });
    const encoder = await stateOf<{ categories: string[][] }>(b, manifest, 'categorical.encoder');
    expect(encoder.categories.map((c) => [...c].sort())).toEqual([
      ['Biscoe', 'Dream', 'Torgersen'],
      ['FEMALE', 'MALE'],
    ]);
    const rows = [
      {
        island: 'Biscoe',
        sex: 'MALE',
        bill_length_mm: 48.6,
        bill_depth_mm: 16,
        flipper_length_mm: 230,
        body_mass_g: 5800,
      },
      {
        island: 'Atlantis',
        sex: null,
        bill_length_mm: 39,
        bill_depth_mm: 18.5,
        flipper_length_mm: 190,
        body_mass_g: 3700,
      },
      {
        island: 'Dream',
        sex: 'FEMALE',
        bill_length_mm: null,
        bill_depth_mm: null,
        flipper_length_mm: null,
        body_mass_g: null,
      },
    ];
    const predictor = await loadPredictor(b.registry, 'penguins', { codec: b.codec, code: async () => b.project });
    const served = await predictor.predict(rows);
    expect(served).toHaveLength(3);
    expect(served.slice(0, 2)).toEqual(['Gentoo', 'Adelie']);
    expect((await b.runtime.apply({ project: b.project, data: rows })).predictions).toEqual(served);
    // A measurement sent as text is refused, naming the column and the actor.
    await expect(predictor.predict([{ ...rows[0]!, body_mass_g: 'heavy' }])).rejects.toMatchObject({
      code: 'BAD_DATA',
      data: { column: 'body_mass_g' },
    });
  });
});
