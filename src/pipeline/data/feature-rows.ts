import { BadDataError } from '../../registry/errors/index.js';
import { parseNumber, type Cell, type ColumnType } from './column.js';

/** A column as the rows an actor receives describe it. */
export interface ColumnInfo {
  readonly name: string;
  readonly type: ColumnType;
}

/** Where rows came from, so that a problem found in them names the file and the line. */
export interface RowsOrigin {
  readonly source: string;
  /** The file line of a row (0-based index), when the rows came from a file. */
  lineOf(row: number): number | undefined;
}

/**
 * What the first actor of a pipeline (and of each branch) receives: one array of cells per data
 * row, in column order, plus `columns` (name and type of each position; not enumerable, so the
 * rows are plain arrays to every library and to the state codec).
 */
export type FeatureRows = Cell[][] & { readonly columns: readonly ColumnInfo[] };

const ORIGIN = Symbol('statekeep.rows-origin');

/** Describes plain rows as feature rows: their columns, and where they came from. */
export function describeRows(rows: Cell[][], columns: readonly ColumnInfo[], origin: RowsOrigin): FeatureRows {
  Object.defineProperty(rows, 'columns', { value: columns, enumerable: false });
  Object.defineProperty(rows, ORIGIN, { value: origin, enumerable: false });
  return rows as FeatureRows;
}

/** The columns of feature rows, or undefined for anything else (an actor's output). */
export function columnsOf(input: unknown): readonly ColumnInfo[] | undefined {
  if (!Array.isArray(input)) return undefined;
  const columns = (input as Partial<FeatureRows>).columns;
  return Array.isArray(columns) ? columns : undefined;
}

export function originOf(input: unknown): RowsOrigin | undefined {
  return Array.isArray(input) ? (input as unknown as Record<symbol, RowsOrigin | undefined>)[ORIGIN] : undefined;
}

/** The given columns of feature rows, as feature rows of their own (a branch's share). */
export function selectColumns(rows: FeatureRows, names: readonly string[]): FeatureRows {
  const positions = names.map((name) => rows.columns.findIndex((c) => c.name === name));
  const picked = rows.map((row) => positions.map((p) => row[p]!));
  const origin = originOf(rows) ?? { source: 'rows', lineOf: () => undefined };
  return describeRows(
    picked,
    positions.map((p) => rows.columns[p]!),
    origin,
  );
}

/**
 * Refuses input an actor that needs numbers cannot use: a column that is not numbers (named,
 * with the file line of its first cell that is not a number), or, in an earlier actor's output,
 * a cell that is neither a number nor missing.
 */
export function requireNumbers(actor: string, input: unknown): void {
  if (!Array.isArray(input)) return;
  const columns = columnsOf(input);
  const origin = originOf(input);
  const rows = input as unknown[][];
  const place = (row: number) => {
    const line = origin?.lineOf(row);
    return line === undefined ? { row: row + 1 } : { line };
  };
  if (columns !== undefined) {
    columns.forEach((column, c) => {
      if (column.type === 'number') return;
      let first = -1;
      let found = -1;
      for (let r = 0; r < rows.length && found < 0; r += 1) {
        const cell = rows[r]![c];
        if (cell === null || cell === undefined) continue;
        if (first < 0) first = r;
        if (typeof cell !== 'string' || parseNumber(cell) === null) found = r;
      }
      const at = found >= 0 ? found : first;
      if (at < 0) return; // nothing but missing cells: nothing that is not a number
      const cell = rows[at]![c];
      throw new BadDataError(
        {
          file: origin?.source ?? 'rows',
          ...place(at),
          column: column.name,
          actor,
          problem: `actor ${JSON.stringify(actor)} needs numbers, but column ${JSON.stringify(column.name)} holds ${column.type} (${JSON.stringify(cell)})`,
        },
        `route column ${JSON.stringify(column.name)} to an encoder first, or declare its type as number in the project's types if it holds numbers`,
      );
    });
    return;
  }
  for (let r = 0; r < rows.length; r += 1) {
    const row = rows[r];
    if (!Array.isArray(row)) continue;
    for (let c = 0; c < row.length; c += 1) {
      const cell = row[c];
      if (cell === null || cell === undefined || (typeof cell === 'number' && !Number.isNaN(cell))) continue;
      throw new BadDataError(
        {
          file: origin?.source ?? 'the output of the actor before it',
          ...place(r),
          column: `#${c + 1}`,
          actor,
          problem: `actor ${JSON.stringify(actor)} needs numbers, but cell ${c + 1} of row ${r + 1} of its input is ${JSON.stringify(cell)}`,
        },
        'put an encoder before it that turns text into numbers',
      );
    }
  }
}

/** The rows at the given indices, in that order; feature rows stay described (columns, and the lines they came from). */
export function pickFeatureRows<T>(rows: readonly T[], indices: readonly number[]): T[] {
  const picked = indices.map((i) => rows[i]!);
  const columns = columnsOf(rows);
  if (columns === undefined) return picked;
  const origin = originOf(rows);
  return describeRows(picked as Cell[][], columns, {
    source: origin?.source ?? 'rows',
    lineOf: (row) => origin?.lineOf(indices[row]!),
  }) as unknown as T[];
}
