import { BadDataError } from '../../registry/errors/index.js';
import type { Cell, Table, TableSpec } from './table.js';

const HINT =
  'write one JSON object per line, e.g. {"sepal_length": 5.1, "species": "setosa"}; use null for a missing value';

/**
 * Reads JSON Lines: one object per line, blank lines ignored. The columns are the keys in the
 * order they first appear; a key a line leaves out is missing there (null), unless the column is
 * required.
 */
export function parseJsonLines(text: string, file: string, spec: TableSpec): Table {
  const records: { values: Record<string, unknown>; line: number }[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .forEach((raw, i) => {
      if (raw.trim() === '') return;
      const line = i + 1;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch (error) {
        throw new BadDataError(
          { file, line, problem: `not valid JSON (${error instanceof Error ? error.message : String(error)})` },
          HINT,
        );
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new BadDataError(
          {
            file,
            line,
            problem: `a JSON ${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value}, not an object`,
          },
          HINT,
        );
      }
      records.push({ values: value as Record<string, unknown>, line });
    });
  if (records.length === 0) throw new BadDataError({ file, problem: 'the file is empty' }, HINT);
  const columns: string[] = [];
  for (const r of records) for (const key of Object.keys(r.values)) if (!columns.includes(key)) columns.push(key);
  const rows = records.map(({ values, line }) =>
    columns.map((column) => {
      if (!(column in values)) return null;
      return cellOf(values[column], { file, line, column, numeric: spec.numeric(column) });
    }),
  );
  for (const column of spec.required) {
    const missing = records.find((r) => !(column in r.values));
    if (missing !== undefined) {
      throw new BadDataError(
        { file, line: missing.line, column, problem: `missing column ${JSON.stringify(column)}` },
        'give every line the column (null when the value is missing), or correct the column names in the project definition',
      );
    }
  }
  return { source: file, columns, rows, lines: records.map((r) => r.line) };
}

function cellOf(value: unknown, at: { file: string; line: number; column: string; numeric: boolean }): Cell {
  const { file, line, column } = at;
  if (value === null) return null;
  // JSON.parse reads a number too large for a double (1e400) as Infinity, which no model can use.
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && !at.numeric) return value;
  const shown = JSON.stringify(value);
  const problem =
    typeof value === 'number'
      ? `a number in column ${JSON.stringify(column)} is too large for a double`
      : at.numeric
        ? `${shown} in column ${JSON.stringify(column)} is not a number`
        : `column ${JSON.stringify(column)} holds ${shown}; cells are numbers, strings or null`;
  throw new BadDataError({ file, line, column, problem }, HINT);
}
