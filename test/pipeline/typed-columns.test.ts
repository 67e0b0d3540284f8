import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { featureMatrix, tableSpec } from '../../src/pipeline/data/columns.js';
import { columnsOf, requireNumbers } from '../../src/pipeline/data/feature-rows.js';
import { parseTable, readTable } from '../../src/pipeline/data/read-table.js';
import { recordRows } from '../../src/pipeline/data/record-rows.js';
import { ANY_TABLE, tableFromRecords, type TableSpec, type TypedTable } from '../../src/pipeline/data/table.js';
import type { ProjectDefinition } from '../../src/pipeline/project.js';
import { bench } from './fixtures.js';

const csv = (text: string, spec?: TableSpec) => parseTable(text, 'data.csv', 'csv', spec);
const jsonl = (text: string, spec?: TableSpec) => parseTable(text, 'data.jsonl', 'jsonl', spec);
const types = (table: TypedTable) => Object.fromEntries(table.typedColumns().map((c) => [c.name, c.type]));

describe('typed columns', () => {
  it('infers numbers, text, booleans and timestamps, with missing cells, from CSV', () => {
    const table = csv('n,t,b,d,e\n1.5,Biscoe,true,2024-06-01,\n,Dream,FALSE,2024-06-02T10:00:00Z,\n-2,,,,\n');
    expect(types(table)).toEqual({ n: 'number', t: 'text', b: 'boolean', d: 'timestamp', e: 'text' });
    expect(table.rows).toEqual([
      [1.5, 'Biscoe', true, '2024-06-01', null],
      [null, 'Dream', false, '2024-06-02T10:00:00Z', null],
      [-2, null, null, null, null],
    ]);
    const d = table.column('d')!;
    expect([d.instant(0), d.instant(1), d.instant(2)]).toEqual([Date.UTC(2024, 5, 1), Date.UTC(2024, 5, 2, 10), null]);
    // Compact storage: numbers in a Float64Array (NaN where missing), text as dictionary codes.
    expect(table.column('n')!.numbers).toBeInstanceOf(Float64Array);
    expect(table.column('t')!.dictionary).toEqual(['Biscoe', 'Dream']);
    expect(Array.from(table.column('t')!.codes!)).toEqual([0, 1, -1]);
  });

  it('infers the same types from JSON Lines, where a boolean is a JSON boolean', () => {
    const table = jsonl('{"n":1,"t":"a","b":true}\n{"n":null,"t":"b","b":false,"d":"2024-01-01"}\n');
    expect(types(table)).toEqual({ n: 'number', t: 'text', b: 'boolean', d: 'timestamp' });
    expect(table.rows).toEqual([
      [1, 'a', true, null],
      [null, 'b', false, '2024-01-01'],
    ]);
  });

  it('a column that turns out to be text keeps the spelling of every cell, also of those read as numbers first', () => {
    const table = csv('zip,n\n02134,1\n10001,2\nSW1A,3\n');
    expect(types(table)).toEqual({ zip: 'text', n: 'number' });
    expect(table.rows.map((r) => r[0])).toEqual(['02134', '10001', 'SW1A']);
    expect(csv('x\n7\n8\nabc\n').rows).toEqual([['7'], ['8'], ['abc']]);
  });

  it('a declared type wins over inference: a zip code of digits stays text', () => {
    const spec = tableSpec({ label: 'y', types: { zip: 'text', flag: 'boolean' } }, 'apply');
    const table = csv('zip,flag,y\n02134,true,1\n10001,false,0\n', spec);
    expect(types(table)).toMatchObject({ zip: 'text', flag: 'boolean' });
    expect(table.rows.map((r) => r[0])).toEqual(['02134', '10001']);
  });

  it('a cell that does not fit its declared type is BAD_DATA naming its line and column, in CSV, JSON Lines and memory', () => {
    const spec = tableSpec({ label: 'y', types: { when: 'timestamp', ok: 'boolean', n: 'number' } }, 'apply');
    expect(() => csv('when,ok,n\n2024-01-01,true,1\n2024-01-02,maybe,2\n', spec)).toThrow(
      expect.objectContaining({ code: 'BAD_DATA', data: expect.objectContaining({ line: 3, column: 'ok' }) }),
    );
    expect(() => csv('when,ok,n\n2024-01-01,true,1\n\nyesterday,true,2\n', spec)).toThrow(
      expect.objectContaining({ code: 'BAD_DATA', data: expect.objectContaining({ line: 4, column: 'when' }) }),
    );
    expect(() => jsonl('{"n":1}\n{"n":"2"}\n', spec)).toThrow(
      expect.objectContaining({ code: 'BAD_DATA', data: expect.objectContaining({ line: 2, column: 'n' }) }),
    );
  });

  it('rows in memory are typed under the declared types too, a misfit named by its row', async () => {
    const { tableOf } = await import('../../src/pipeline/data/data-input.js');
    const definition = { label: 'y', types: { zip: 'text' as const, n: 'number' as const } };
    const table = await tableOf([{ zip: 2134, n: 1, y: 'a' }], definition, 'train');
    expect(table.rows).toEqual([['2134', 1, 'a']]);
    await expect(
      tableOf(
        [
          { zip: 1, n: 1, y: 'a' },
          { zip: 2, n: 'two', y: 'b' },
        ],
        definition,
        'train',
      ),
    ).rejects.toMatchObject({
      code: 'BAD_DATA',
      data: { file: 'rows in memory', row: 2, column: 'n' },
    });
  });

  it('reads a file of several pieces exactly as its text, CRLF and quoted line breaks included', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'statekeep-typed-'));
    try {
      const lines = ['id,name,v'];
      // Over 1 MiB, so the reader sees several pieces, with line breaks inside quotes among them.
      for (let i = 0; i < 40_000; i += 1)
        lines.push(`${i},"name ${i}${i % 7 === 0 ? '\r\nsecond' : ''}",${i % 5 === 0 ? '' : i / 4}`);
      const text = `${lines.join('\r\n')}\r\n`;
      expect(text.length).toBeGreaterThan(2 ** 20);
      const file = path.join(dir, 'big.csv');
      await writeFile(file, text);
      const read = await readTable(file);
      const parsed = csv(text);
      expect(read.length).toBe(40_000);
      expect(read.rows).toEqual(parsed.rows);
      expect(read.lines).toEqual(parsed.lines);
      expect(types(read)).toEqual({ id: 'number', name: 'text', v: 'number' });
      await writeFile(path.join(dir, 'bad.csv'), `${text}40000,"x",oops\n`);
      // The last row starts on one line and ends on it: the bad one is the next.
      const spec: TableSpec = { required: [], type: (c) => (c === 'v' ? 'number' : undefined) };
      await expect(readTable(path.join(dir, 'bad.csv'), spec)).rejects.toMatchObject({
        code: 'BAD_DATA',
        data: { line: parsed.lines!.at(-1)! + 1, column: 'v' },
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a request's rows are typed exactly as a table of them is", () => {
    const records = [
      { n: 1, mixed: 2, flag: true, when: '2024-01-01', t: 'a', gap: null },
      { n: null, mixed: 'x', flag: false, when: '2024-01-02T10:00Z', t: 'b', gap: null },
    ];
    const columns = ['n', 'mixed', 'flag', 'when', 't', 'gap'];
    const direct = recordRows(records, columns, ANY_TABLE, 'request');
    const tabled = featureMatrix(tableFromRecords(records), columns);
    expect(direct).toEqual(tabled);
    expect(columnsOf(direct)).toEqual(columnsOf(tabled));
    expect(columnsOf(direct)!.map((c) => c.type)).toEqual(['number', 'text', 'boolean', 'timestamp', 'text', 'text']);
    const declared = tableSpec({ label: 'y', types: { n: 'text', mixed: 'number' } }, 'apply');
    expect(() => recordRows(records, columns, declared, 'request')).toThrow(
      expect.objectContaining({ code: 'BAD_DATA', data: expect.objectContaining({ row: 2, column: 'mixed' }) }),
    );
    expect(recordRows([records[0]!], ['n'], declared, 'request')).toEqual([['1']]);
  });

  it('the first step receives rows of typed cells that name their columns', () => {
    const table = csv('island,mass,y\nBiscoe,3750,A\n,4100,B\n');
    const rows = featureMatrix(table, ['mass', 'island']);
    expect(rows).toEqual([
      [3750, 'Biscoe'],
      [4100, null],
    ]);
    expect(columnsOf(rows)).toEqual([
      { name: 'mass', type: 'number' },
      { name: 'island', type: 'text' },
    ]);
    // Plain arrays to libraries: not an Array subclass, no enumerable extras.
    expect(Object.getPrototypeOf(rows)).toBe(Array.prototype);
    expect(Object.keys(rows)).toEqual(['0', '1']);
  });

  it('an actor that needs numbers refuses text, naming the column, its line and the actor', () => {
    const table = csv('a,b\n1,x\n2,y\n');
    expect(() => requireNumbers('scaler', featureMatrix(table, ['a', 'b']))).toThrow(
      expect.objectContaining({
        code: 'BAD_DATA',
        data: expect.objectContaining({ file: 'data.csv', line: 2, column: 'b', actor: 'scaler' }),
      }),
    );
    // Mostly numbers: the line named is the first cell that is not one.
    expect(() => requireNumbers('scaler', featureMatrix(csv('a\n1\n2\nthree\n'), ['a']))).toThrow(
      expect.objectContaining({ data: expect.objectContaining({ line: 4, column: 'a' }) }),
    );
    expect(() => requireNumbers('scaler', featureMatrix(csv('a,b\n1,\n2,\n'), ['a', 'b']))).not.toThrow();
    // An earlier actor's output has no names: the cell is named by its position.
    expect(() => requireNumbers('model', [[1, 'x']])).toThrow(
      expect.objectContaining({ data: expect.objectContaining({ row: 1, column: '#2', actor: 'model' }) }),
    );
  });

  it('the runtime refuses text for an actor that needs numbers, before it trains, and commits nothing', async () => {
    const definition = {
      label: 'y',
      metric: { name: 'm', direction: 'max', score: () => 1 },
      pipeline: () => ({
        steps: [
          {
            name: 'model',
            needs: 'numbers',
            train() {
              throw new Error('never reached');
            },
            apply: (rows: unknown[]) => rows.map(() => 1),
            getState: () => ({}),
            setState() {},
            getParams: () => ({}),
            setParams() {},
          },
        ],
      }),
    } as unknown as ProjectDefinition<never>;
    const b = await bench(definition, undefined, 'needs');
    const data = tableFromRecords([
      { a: 1, colour: 'red', y: 1 },
      { a: 2, colour: 'blue', y: 0 },
    ]);
    await expect(b.runtime.train({ project: b.project, data })).rejects.toMatchObject({
      code: 'BAD_DATA',
      data: { row: 1, column: 'colour', actor: 'model' },
    });
    expect(await b.registry.generations('needs', '1.0.0')).toEqual([]);
  });

  it('a project declaring a type that is not one is refused', async () => {
    const { checkDefinition } = await import('../../src/pipeline/project-check.js');
    const definition = { label: 'y', metric: { name: 'm', direction: 'max', score: () => 1 }, pipeline: () => ({}) };
    expect(() => checkDefinition({ ...definition, types: { zip: 'string' } })).toThrow(
      expect.objectContaining({ code: 'USAGE' }),
    );
    expect(checkDefinition({ ...definition, types: { zip: 'text' } }).types).toEqual({ zip: 'text' });
  });
});
