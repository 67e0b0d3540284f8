/** A cell of a table: a number, a string, or null where the file had nothing. */
export type Cell = number | string | null;

/** A loaded data set: named columns, rows of cells, and where each row came from. */
export interface Table {
  /** The file the rows came from (or a description of their origin), for messages. */
  readonly source: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
  /** The 1-based file line on which each row starts; absent for tables built in memory. */
  readonly lines?: readonly number[];
}

/** What a reader must check while it still knows the lines. */
export interface TableSpec {
  /** Columns every row must have. */
  readonly required: readonly string[];
  /** Whether a column must hold numbers; other columns are numbers when all their cells are, strings otherwise. */
  numeric(column: string): boolean;
}

/** No required columns; every column typed by what it holds. */
export const ANY_TABLE: TableSpec = { required: [], numeric: () => false };

/** A table from records in memory (tests, library callers); keys of the first record set the column order. */
export function tableFromRecords(records: readonly Readonly<Record<string, Cell>>[], source = 'memory'): Table {
  // A Set, not includes(): rows with many distinct keys must not make this quadratic.
  const seen = new Set<string>();
  for (const record of records) for (const key of Object.keys(record)) seen.add(key);
  const columns = [...seen];
  return { source, columns, rows: records.map((r) => columns.map((c) => r[c] ?? null)) };
}

/** The same rows, in the same order, restricted to the given row indices. */
export function pickRows(table: Table, indices: readonly number[]): Table {
  const rows = indices.map((i) => table.rows[i]!);
  return table.lines === undefined
    ? { ...table, rows }
    : { ...table, rows, lines: indices.map((i) => table.lines![i]!) };
}

export function columnIndex(table: Table, column: string): number {
  return table.columns.indexOf(column);
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A decimal number as a data file spells it; "NaN", "Infinity", hex and empty text are not. */
export function parseNumber(text: string): number | null {
  const trimmed = text.trim();
  if (!NUMBER.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}
