import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRecords } from '../../src/pipeline/data/csv.js';
import { tableSpec } from '../../src/pipeline/data/columns.js';
import { instantOf } from '../../src/pipeline/data/ordinal.js';
import { parseTable, readTable } from '../../src/pipeline/data/read-table.js';
import { ANY_TABLE, type TableSpec } from '../../src/pipeline/data/table.js';

// Features are typed by what they hold; these two are declared numbers, so text in them is refused with its line.
const IRIS = tableSpec(
  { label: 'species', features: ['a', 'b'], ordinal: 'day', types: { a: 'number', b: 'number' } },
  'train',
);
const csv = (text: string, spec: TableSpec = ANY_TABLE) => parseTable(text, 'data.csv', 'csv', spec);
const jsonl = (text: string, spec: TableSpec = ANY_TABLE) => parseTable(text, 'data.jsonl', 'jsonl', spec);

describe('CSV', () => {
  it('reads RFC 4180 quoting: commas, doubled quotes and line breaks inside quotes, CRLF', () => {
    const records = csvRecords('a,b\r\n"x, y","say ""hi"""\r\n"two\r\nlines",z\r\n', 'f.csv');
    expect(records).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['x, y', 'say "hi"'], line: 2 },
      { fields: ['two\r\nlines', 'z'], line: 3 },
    ]);
  });

  it('types columns: declared numeric columns are numbers, others numbers only when every cell is; empty cells are null', () => {
    const table = csv('day,a,b,species\n2024-01-01,1.5,,setosa\n2024-01-02,-2e1,3,7\n', IRIS);
    expect(table.columns).toEqual(['day', 'a', 'b', 'species']);
    expect(table.rows).toEqual([
      ['2024-01-01', 1.5, null, 'setosa'],
      ['2024-01-02', -20, 3, '7'],
    ]);
    expect(table.lines).toEqual([2, 3]);
    expect(csv('n,s\n1,x\n2,\n').rows).toEqual([
      [1, 'x'],
      [2, null],
    ]);
  });

  it('numbers every row by the file line it starts on, across quoted line breaks and skipped blank lines', () => {
    const table = csv('a,b\n"1\n2",3\n\n4,x\n');
    expect(table.lines).toEqual([2, 5]);
  });

  it('a header without rows is a table of no rows; a BOM and bare CR line breaks are read too', () => {
    expect(csv('day,a,b,species\r\n', IRIS)).toEqual({
      source: 'data.csv',
      columns: ['day', 'a', 'b', 'species'],
      rows: [],
      lines: [],
    });
    const table = csv('\uFEFFa,b\r1,x\r2,y\r');
    expect(table.columns).toEqual(['a', 'b']);
    expect(table.rows).toEqual([
      [1, 'x'],
      [2, 'y'],
    ]);
    expect(table.lines).toEqual([2, 3]);
  });

  it('a number too large for a double is BAD_DATA in a numeric column, never Infinity', () => {
    expect(() => csv('day,a,b,species\n2024-01-01,1e400,2,x\n', IRIS)).toThrow(
      expect.objectContaining({ code: 'BAD_DATA', data: expect.objectContaining({ line: 2, column: 'a' }) }),
    );
    // biome-ignore lint/correctness/noPrecisionLoss: the rounding CSV parsing does is the case under test
    expect(csv('n\n12345678901234567890\n').rows).toEqual([[12345678901234567890]]);
  });

  it('a missing required column is BAD_DATA at the header line, naming the column', () => {
    expect(() => csv('day,a,species\n2024-01-01,1,setosa\n', IRIS)).toThrow(
      expect.objectContaining({
        code: 'BAD_DATA',
        data: expect.objectContaining({ file: 'data.csv', line: 1, column: 'b' }),
      }),
    );
  });

  it('a row with the wrong number of fields is BAD_DATA at its line', () => {
    expect(() => csv('a,b\n1,2\n3\n')).toThrow(
      expect.objectContaining({ code: 'BAD_DATA', data: expect.objectContaining({ line: 3 }) }),
    );
    expect(() => csv('a,b\n1,2\n"3,4",5,6\n')).toThrow(
      expect.objectContaining({ code: 'BAD_DATA', data: expect.objectContaining({ line: 3 }) }),
    );
  });

  it('an unparsable number in a numeric column is BAD_DATA at its line and column', () => {
    expect(() => csv('day,a,b,species\n2024-01-01,1,2,x\n2024-01-02,1,two,y\n', IRIS)).toThrow(
      expect.objectContaining({ code: 'BAD_DATA', data: expect.objectContaining({ line: 3, column: 'b' }) }),
    );
    expect(() => csv('day,a,b,species\n2024-01-01,NaN,2,x\n', IRIS)).toThrow(
      expect.objectContaining({ code: 'BAD_DATA', data: expect.objectContaining({ line: 2, column: 'a' }) }),
    );
  });

  it('an empty file, a bad quote and a header without names are BAD_DATA', () => {
    expect(() => csv('')).toThrow(
      expect.objectContaining({ code: 'BAD_DATA', data: expect.objectContaining({ file: 'data.csv' }) }),
    );
    expect(() => csv('\n\n')).toThrow(expect.objectContaining({ code: 'BAD_DATA' }));
    expect(() => csv('a,b\n"open,1\n')).toThrow(
      expect.objectContaining({ code: 'BAD_DATA', data: expect.objectContaining({ line: 2 }) }),
    );
    expect(() => csv('a,b\nx"y,1\n')).toThrow(
      expect.objectContaining({ code: 'BAD_DATA', data: expect.objectContaining({ line: 2 }) }),
    );
    expect(() => csv('a,\n1,2\n')).toThrow(
      expect.objectContaining({ code: 'BAD_DATA', data: expect.objectContaining({ line: 1 }) }),
    );
    expect(() => csv('a,a\n1,2\n')).toThrow(
      expect.objectContaining({ code: 'BAD_DATA', data: expect.objectContaining({ line: 1, column: 'a' }) }),
    );
  });
});

describe('JSON Lines', () => {
  it('reads one object per line; columns in first-seen order, absent keys of optional columns are null', () => {
    const table = jsonl('{"a":1,"s":"x"}\n\n{"s":"y","b":2}\n{"a":null,"s":"z","b":3}\n');
    expect(table.columns).toEqual(['a', 's', 'b']);
    expect(table.rows).toEqual([
      [1, 'x', null],
      [null, 'y', 2],
      [null, 'z', 3],
    ]);
    expect(table.lines).toEqual([1, 3, 4]);
  });

  it('a bad JSON line is BAD_DATA at its line', () => {
    expect(() => jsonl('{"a":1}\n{"a":\n')).toThrow(
      expect.objectContaining({ code: 'BAD_DATA', data: expect.objectContaining({ file: 'data.jsonl', line: 2 }) }),
    );
    expect(() => jsonl('{"a":1}\n[1,2]\n')).toThrow(
      expect.objectContaining({ code: 'BAD_DATA', data: expect.objectContaining({ line: 2 }) }),
    );
  });

  it('a line without a required column, or with text in a numeric column, is BAD_DATA at that line', () => {
    const good = '{"day":"2024-01-01","a":1,"b":2,"species":"x"}';
    expect(() => jsonl(`${good}\n{"day":"2024-01-02","a":1,"species":"y"}\n`, IRIS)).toThrow(
      expect.objectContaining({ code: 'BAD_DATA', data: expect.objectContaining({ line: 2, column: 'b' }) }),
    );
    expect(() => jsonl(`${good}\n${good}\n{"day":"2024-01-02","a":"1","b":2,"species":"y"}\n`, IRIS)).toThrow(
      expect.objectContaining({ code: 'BAD_DATA', data: expect.objectContaining({ line: 3, column: 'a' }) }),
    );
    expect(() => jsonl('{"a":{"nested":1}}\n')).toThrow(
      expect.objectContaining({ code: 'BAD_DATA', data: expect.objectContaining({ line: 1, column: 'a' }) }),
    );
  });

  it('a number too large for a double is BAD_DATA at its line, never Infinity', () => {
    expect(() => jsonl('{"a":1}\n{"a":-1e400}\n')).toThrow(
      expect.objectContaining({ code: 'BAD_DATA', data: expect.objectContaining({ line: 2, column: 'a' }) }),
    );
  });

  it('an empty file is BAD_DATA', () => {
    expect(() => jsonl('\n  \n')).toThrow(expect.objectContaining({ code: 'BAD_DATA' }));
  });
});

describe('readTable', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'statekeep-data-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('picks the format by extension and names the file in errors', async () => {
    await writeFile(path.join(dir, 'rows.jsonl'), '{"a":1}\n');
    await writeFile(path.join(dir, 'rows.csv'), '\uFEFFa\n1\n');
    await writeFile(path.join(dir, 'bad.csv'), 'a,b\n1\n');
    await writeFile(path.join(dir, 'rows.txt'), 'a\n1\n');
    expect((await readTable(path.join(dir, 'rows.jsonl'))).rows).toEqual([[1]]);
    expect((await readTable(path.join(dir, 'rows.csv'))).columns).toEqual(['a']);
    await expect(readTable(path.join(dir, 'bad.csv'))).rejects.toMatchObject({
      code: 'BAD_DATA',
      data: { file: path.join(dir, 'bad.csv'), line: 2 },
    });
    await expect(readTable(path.join(dir, 'rows.txt'))).rejects.toMatchObject({ code: 'BAD_DATA' });
    await expect(readTable(path.join(dir, 'absent.csv'))).rejects.toMatchObject({
      code: 'NOT_FOUND',
      data: { what: 'file' },
    });
    await mkdir(path.join(dir, 'folder.csv'));
    await expect(readTable(path.join(dir, 'folder.csv'))).rejects.toMatchObject({
      code: 'BAD_DATA',
      data: { file: path.join(dir, 'folder.csv') },
    });
  });

  it('reads the example data with its six documented blanks', async () => {
    const table = await readTable(
      'examples/iris/data/iris.csv',
      tableSpec({ label: 'species', ordinal: 'measured_on' }, 'train'),
    );
    expect(table.rows).toHaveLength(150);
    expect(table.rows.flat().filter((c) => c === null)).toHaveLength(6);
  });
});

describe('ordinal timestamps', () => {
  it('compares ISO-8601 timestamps as instants, taking a time without an offset as UTC', () => {
    expect(instantOf('2024-03-01T12:00:00+02:00')).toBe(instantOf('2024-03-01T10:00:00Z'));
    expect(instantOf('2024-03-01 10:00')).toBe(Date.UTC(2024, 2, 1, 10));
    expect(instantOf('2024-03-01')).toBe(Date.UTC(2024, 2, 1));
    expect(instantOf('2024-02-30')).toBeNull();
    expect(instantOf('March 1, 2024')).toBeNull();
  });
});
