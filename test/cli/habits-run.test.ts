import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { errorLines, statekeepInProcess, workspace } from './helpers.js';
import { EXAMPLE, IRIS } from './pipeline-sequence.js';

vi.setConfig({ testTimeout: 120_000 });

const ws = workspace();
const cli = (args: string[]) => statekeepInProcess(args, ws);
const INPUT_HEADER = 'measured_on,sepal_length,sepal_width,petal_length,petal_width,species';

beforeAll(async () => {
  // iris 1.0.0, generation 1, trained on every row of iris.csv.
  expect((await cli(['train', EXAMPLE, '--data', IRIS])).code).toBe(0);
});

describe('train --since-last with no new rows', () => {
  it('says there is nothing to do, commits nothing and exits 0 with nothing on stdout', async () => {
    const { code, stdout, stderr } = await cli(['train', 'iris', '--data', IRIS, '--since-last']);
    expect({ code, stdout }).toEqual({ code: 0, stdout: '' });
    expect(stderr).toBe(
      'iris 1.0.0: nothing to do: no rows after "2024-03-15", where generation 1 ended; nothing committed\n',
    );
    const json = await cli(['--json', 'train', 'iris', '--data', IRIS, '--since-last']);
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toEqual({
      project: 'iris',
      release: '1.0.0',
      committed: false,
      reason: 'nothing-new',
      latest: 1,
    });
    expect(await ws.open().generations('iris', '1.0.0')).toEqual([1]);
  });

  it('is documented in --help', async () => {
    // commander wraps help at 80 columns: compare the words, not the line breaks.
    expect((await cli(['train', '--help'])).stdout.replace(/\s+/g, ' ')).toContain(
      'with none, say so, commit nothing and exit 0',
    );
  });
});

describe('apply --out and --columns', () => {
  it('an --out file of an unknown format is a usage error, exit 2, before the run; nothing is written', async () => {
    const out = path.join(ws.cwd, 'predictions.txt');
    const json = await cli(['--json', 'apply', 'iris', '--data', IRIS, '--out', out]);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stderr).error).toMatchObject({ code: 'USAGE', data: { argument: '--out', file: out } });
    const text = await cli(['apply', 'iris', '--data', IRIS, '--out', out]);
    expect(text.code).toBe(2);
    expect(errorLines(text.stderr)).toEqual({
      message: `--out ${out}: unknown output format ".txt"`,
      hint: 'name a .csv or .jsonl (.ndjson) file',
    });
    expect(existsSync(out)).toBe(false);
  });

  it('--columns A,B writes those input columns beside the predictions, in CSV and in JSON Lines', async () => {
    const csvOut = path.join(ws.cwd, 'picked.csv');
    expect(
      (await cli(['apply', 'iris', '--data', IRIS, '--out', csvOut, '--columns', 'measured_on,species'])).code,
    ).toBe(0);
    const lines = readFileSync(csvOut, 'utf8').trimEnd().split('\n');
    const input = readFileSync(IRIS, 'utf8').trimEnd().split(/\r?\n/);
    expect(lines).toHaveLength(input.length);
    expect(lines[0]).toBe('measured_on,species,predicted_species');
    expect(lines[1]).toMatch(/^2024-03-01,virginica,(setosa|versicolor|virginica)$/);
    const jsonlOut = path.join(ws.cwd, 'picked.jsonl');
    expect(
      (await cli(['apply', 'iris', '--data', IRIS, '--out', jsonlOut, '--columns', 'sepal_length,species'])).code,
    ).toBe(0);
    const first = JSON.parse(readFileSync(jsonlOut, 'utf8').split('\n')[0]!);
    expect(Object.keys(first)).toEqual(['sepal_length', 'species', 'predicted_species']);
    expect(first).toMatchObject({ sepal_length: 7.7, species: 'virginica' });
  });

  it('--columns all writes every input column, on stdout too, and with --json adds the records', async () => {
    const { code, stdout } = await cli(['apply', 'iris', '--data', IRIS, '--columns', 'all']);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe(`${INPUT_HEADER},predicted_species`);
    const json = JSON.parse((await cli(['--json', 'apply', 'iris', '--data', IRIS, '--columns', 'all'])).stdout);
    expect(json.records).toHaveLength(150);
    expect(json.records[0]).toMatchObject({ measured_on: '2024-03-01', species: 'virginica' });
    expect(json.records[0].predicted_species).toBe(json.predictions[0]);
    // Without --columns the output is the predictions alone, as before.
    expect((await cli(['apply', 'iris', '--data', IRIS])).stdout.split('\n')[0]).toBe('predicted_species');
  });

  it('a column the data does not have is a usage error naming the near one; nothing is written', async () => {
    const out = path.join(ws.cwd, 'none.csv');
    const json = await cli([
      '--json',
      'apply',
      'iris',
      '--data',
      IRIS,
      '--out',
      out,
      '--columns',
      'measured_on,specis',
    ]);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stderr).error).toMatchObject({
      code: 'USAGE',
      hint: 'did you mean "species"?',
      data: { argument: '--columns', column: 'specis' },
    });
    expect(existsSync(out)).toBe(false);
  });
});
