import { BadDataError } from '../../registry/errors/index.js';
import { CellProblem, type Column, ColumnBuilder, type Cell, type ColumnType } from './column.js';

export { parseNumber } from './column.js';
export type { Cell, ColumnType } from './column.js';

/**
 * A loaded data set: named columns, rows of cells, and where each row came from. Tables that
 * statekeep reads are TypedTables (typed columns, compactly stored), whose `rows` are laid out
 * only when asked for; a plain object of this shape (from code) is typed when a run uses it.
 */
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
  /** Whether a column must hold numbers (the older form of `type(column) === 'number'`). */
  numeric?(column: string): boolean;
  /** A column's declared type; undefined: inferred from its cells. */
  type?(column: string): ColumnType | undefined;
}

/** No required columns; every column typed by what it holds. */
export const ANY_TABLE: TableSpec = { required: [] };

/** The declared type of a column under a spec, if any. */
export function declaredType(spec: TableSpec, column: string): ColumnType | undefined {
  return spec.type?.(column) ?? (spec.numeric?.(column) === true ? 'number' : undefined);
}

/** A table of typed columns. `rows` and `lines` are own enumerable properties, computed when read. */
export class TypedTable implements Table {
  readonly source: string;
  readonly columns: readonly string[];
  declare readonly rows: readonly (readonly Cell[])[];
  declare readonly lines?: readonly number[];
  readonly #columns: readonly Column[];
  readonly #lines: Uint32Array | null;
  readonly #length: number;

  constructor(source: string, columns: readonly Column[], lines: Uint32Array | null, length?: number) {
    this.source = source;
    this.columns = columns.map((c) => c.name);
    this.#columns = columns;
    this.#lines = lines;
    this.#length = length ?? columns[0]?.length ?? lines?.length ?? 0;
    Object.defineProperty(this, 'rows', { enumerable: true, get: () => this.#rows() });
    if (lines !== null) Object.defineProperty(this, 'lines', { enumerable: true, get: () => Array.from(this.#lines!) });
  }

  /** How many rows. */
  get length(): number {
    return this.#length;
  }

  column(name: string): Column | undefined {
    return this.#columns.find((c) => c.name === name);
  }

  typedColumns(): readonly Column[] {
    return this.#columns;
  }

  /** The file line of a row (0-based index), when the rows came from a file. */
  lineOf(row: number): number | undefined {
    return this.#lines === null ? undefined : this.#lines[row];
  }

  /** The bytes the parsed values take (see Column.parsedBytes). */
  get parsedBytes(): number {
    return this.#columns.reduce((sum, c) => sum + c.parsedBytes, 0);
  }

  pick(indices: readonly number[]): TypedTable {
    const lines = this.#lines === null ? null : Uint32Array.from(indices, (i) => this.#lines![i]!);
    return new TypedTable(
      this.source,
      this.#columns.map((c) => c.gather(indices)),
      lines,
      indices.length,
    );
  }

  #rows(): Cell[][] {
    const rows: Cell[][] = new Array(this.#length);
    for (let r = 0; r < this.#length; r += 1) rows[r] = this.#columns.map((c) => c.cell(r));
    return rows;
  }
}

/** A table's typed form: itself when it is one, otherwise its rows typed column by column as a reader would. */
export function typedTable(table: Table, spec: TableSpec = ANY_TABLE): TypedTable {
  if (table instanceof TypedTable) return table;
  const builders = table.columns.map((name) => new ColumnBuilder(name, declaredType(spec, name)));
  table.rows.forEach((row, r) => {
    builders.forEach((builder, c) => {
      const value = row[c] ?? null;
      try {
        builder.pushValue(value);
      } catch (error) {
        if (!(error instanceof CellProblem)) throw error;
        const line = table.lines?.[r];
        throw new BadDataError(
          {
            file: table.source,
            ...(line === undefined ? { row: r + 1 } : { line }),
            column: builder.name,
            problem: `${error.message} in column ${JSON.stringify(builder.name)}`,
          },
          'give the column cells of its declared type, or null where the value is missing',
        );
      }
    });
  });
  const lines = table.lines === undefined ? null : Uint32Array.from(table.lines);
  return new TypedTable(
    table.source,
    builders.map((b) => b.finish()),
    lines,
    table.rows.length,
  );
}

/** A table from records in memory (tests, library callers); keys of the first record set the column order. */
export function tableFromRecords(records: readonly Readonly<Record<string, Cell>>[], source = 'memory'): TypedTable {
  // A Set, not includes(): rows with many distinct keys must not make this quadratic.
  const seen = new Set<string>();
  for (const record of records) for (const key of Object.keys(record)) seen.add(key);
  const builders = [...seen].map((name) => new ColumnBuilder(name));
  for (const record of records) for (const builder of builders) builder.pushValue(record[builder.name] ?? null);
  return new TypedTable(
    source,
    builders.map((b) => b.finish()),
    null,
    records.length,
  );
}

/** The same rows, in the same order, restricted to the given row indices. */
export function pickRows(table: Table, indices: readonly number[]): TypedTable {
  return typedTable(table).pick(indices);
}

export function columnIndex(table: Table, column: string): number {
  return table.columns.indexOf(column);
}

/** How many rows, without laying a TypedTable's rows out. */
export function rowCount(table: Table): number {
  return table instanceof TypedTable ? table.length : table.rows.length;
}
