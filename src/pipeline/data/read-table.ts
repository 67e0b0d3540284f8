import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BadDataError, NotFoundError } from '../../registry/errors/index.js';
import { parseCsv } from './csv.js';
import { parseJsonLines } from './jsonl.js';
import { ANY_TABLE, type Table, type TableSpec } from './table.js';

export type DataFormat = 'csv' | 'jsonl';

const FORMATS: Record<string, DataFormat> = { '.csv': 'csv', '.jsonl': 'jsonl', '.ndjson': 'jsonl' };

export function formatOf(file: string): DataFormat {
  const format = FORMATS[path.extname(file).toLowerCase()];
  if (format === undefined) {
    throw new BadDataError(
      { file, problem: `unknown data format ${JSON.stringify(path.extname(file) || '(no extension)')}` },
      'use a .csv file with a header row, or a .jsonl (.ndjson) file of JSON objects',
    );
  }
  return format;
}

/** Parses data text; `file` names it in errors. */
export function parseTable(text: string, file: string, format: DataFormat, spec: TableSpec = ANY_TABLE): Table {
  return format === 'csv' ? parseCsv(text, file, spec) : parseJsonLines(text, file, spec);
}

/** Reads a CSV or JSON Lines file (by its extension) into a table checked against the spec. */
export async function readTable(file: string, spec: TableSpec = ANY_TABLE): Promise<Table> {
  const format = formatOf(file);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new NotFoundError({ what: 'file', name: file }, 'check the data file path', { cause: error });
    throw new BadDataError(
      { file, problem: `the file cannot be read (${code ?? String(error)})` },
      'give a readable data file, not a directory',
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new BadDataError({ file, problem: 'the file is not UTF-8 text' }, 'save the data file as UTF-8');
  }
  return parseTable(text, file, format, spec);
}
