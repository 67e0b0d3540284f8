import { BadDataError } from '../../registry/errors/index.js';
import { parseNumber, type Cell, type Table, type TableSpec } from './table.js';

interface CsvRecord {
  fields: string[];
  /** The line the record starts on; a quoted field may carry it over several lines. */
  line: number;
}

/**
 * Splits RFC 4180 text into records: comma-separated, fields optionally in double quotes, a
 * doubled quote inside quotes is a quote, quoted fields may hold commas and line breaks. Line
 * breaks may be CRLF, LF or CR. Empty lines are skipped.
 */
export function csvRecords(text: string, file: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let start = 1;
  let quoted = false; // inside a quoted field
  let wasQuoted = false; // the current field was quoted and has closed
  const fail = (problem: string, at: number): never => {
    throw new BadDataError(
      { file, line: at, problem },
      'quote fields that hold commas, quotes or line breaks, and double the quotes inside them (RFC 4180)',
    );
  };
  const endRecord = (): void => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '' && !wasQuoted)) records.push({ fields, line: start });
    fields = [];
    field = '';
    wasQuoted = false;
  };
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') {
        quoted = false;
        wasQuoted = true;
      } else {
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line += 1;
        field += c;
      }
    } else if (c === ',') {
      fields.push(field);
      field = '';
      wasQuoted = false;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      endRecord();
      line += 1;
      start = line;
    } else if (wasQuoted) {
      fail(`text after the closing quote of a field`, line);
    } else if (c === '"') {
      if (field !== '') fail('a quote inside an unquoted field', line);
      quoted = true;
    } else {
      field += c;
    }
  }
  if (quoted) fail('a quoted field is never closed', start);
  if (field !== '' || fields.length > 0 || wasQuoted) endRecord();
  return records;
}

/** Reads CSV text with a header row into a table, checking it against the spec. */
export function parseCsv(text: string, file: string, spec: TableSpec): Table {
  const records = csvRecords(text.replace(/^\uFEFF/, ''), file);
  const header = records[0];
  if (header === undefined)
    throw new BadDataError(
      { file, problem: 'the file is empty' },
      'a CSV file needs a header row naming its columns, then one row per record',
    );
  const columns = header.fields.map((name) => name.trim());
  columns.forEach((name, i) => {
    if (name === '')
      throw new BadDataError(
        { file, line: header.line, problem: `column ${i + 1} of the header has no name` },
        'name every column in the header row',
      );
    if (columns.indexOf(name) !== i)
      throw new BadDataError(
        {
          file,
          line: header.line,
          column: name,
          problem: `column ${JSON.stringify(name)} appears twice in the header`,
        },
        'give every column its own name',
      );
  });
  for (const name of spec.required) {
    if (!columns.includes(name)) {
      throw new BadDataError(
        {
          file,
          line: header.line,
          column: name,
          problem: `missing column ${JSON.stringify(name)}; the header has ${columns.join(', ')}`,
        },
        'add the column, or correct the column names in the project definition',
      );
    }
  }
  const body = records.slice(1);
  for (const record of body) {
    if (record.fields.length !== columns.length) {
      throw new BadDataError(
        { file, line: record.line, problem: `${record.fields.length} fields where the header has ${columns.length}` },
        'every row needs exactly one field per column; quote fields that contain commas',
      );
    }
  }
  const typed = columns.map((name, c) =>
    typeColumn(
      name,
      body.map((r) => ({ text: r.fields[c]!, line: r.line })),
      file,
      spec.numeric(name),
    ),
  );
  return {
    source: file,
    columns,
    rows: body.map((_, r) => typed.map((column) => column[r]!)),
    lines: body.map((r) => r.line),
  };
}

/** Numbers where the column is numeric (or every filled cell is a number), strings otherwise; empty is null. */
function typeColumn(column: string, cells: { text: string; line: number }[], file: string, numeric: boolean): Cell[] {
  const numbers = cells.map((cell) => (cell.text.trim() === '' ? null : parseNumber(cell.text)));
  const filled = cells.filter((cell) => cell.text.trim() !== '');
  const allNumbers = filled.length > 0 && numbers.filter((n) => n !== null).length === filled.length;
  if (numeric && !allNumbers) {
    const bad = cells.find((cell, i) => cell.text.trim() !== '' && numbers[i] === null);
    if (bad !== undefined) {
      throw new BadDataError(
        {
          file,
          line: bad.line,
          column,
          problem: `${JSON.stringify(bad.text)} in column ${JSON.stringify(column)} is not a number`,
        },
        'write numbers as 12, -0.5 or 1e-3, and leave a cell empty when the value is missing',
      );
    }
  }
  if (numeric || allNumbers) return numbers;
  return cells.map((cell) => (cell.text.trim() === '' ? null : cell.text));
}
