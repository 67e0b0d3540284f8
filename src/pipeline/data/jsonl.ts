import { BadDataError } from '../../registry/errors/index.js';
import { CellProblem, ColumnBuilder } from './column.js';
import { declaredType, TypedTable, type TableSpec } from './table.js';

const HINT =
  'write one JSON object per line, e.g. {"sepal_length": 5.1, "species": "setosa"}; use null for a missing value';

/**
 * Reads JSON Lines into typed columns as its pieces arrive: one object per line, blank lines
 * ignored. The columns are the keys in the order they first appear; a key a line leaves out is
 * missing there (null), unless the column is required. Each piece given to feed() must end
 * right after a line break (or be the last).
 */
export class JsonLinesReader {
  readonly #file: string;
  readonly #spec: TableSpec;
  readonly #builders = new Map<string, ColumnBuilder>();
  #lines = new Uint32Array(1024);
  #rows = 0;
  #line = 0;
  #rest = '';
  #bom = true;

  constructor(file: string, spec: TableSpec) {
    this.#file = file;
    this.#spec = spec;
  }

  feed(text: string): void {
    if (this.#bom) {
      this.#bom = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const parts = (this.#rest + text).split(/\r\n|\n|\r/);
    this.#rest = parts.pop() ?? '';
    for (const raw of parts) this.#read(raw);
  }

  finish(): TypedTable {
    if (this.#rest !== '') this.#read(this.#rest);
    this.#rest = '';
    const file = this.#file;
    if (this.#rows === 0) throw new BadDataError({ file, problem: 'the file is empty' }, HINT);
    return new TypedTable(
      file,
      [...this.#builders.values()].map((b) => b.finish()),
      this.#lines.slice(0, this.#rows),
      this.#rows,
    );
  }

  #read(raw: string): void {
    this.#line += 1;
    const line = this.#line;
    if (raw.trim() === '') return;
    const file = this.#file;
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
    const values = value as Record<string, unknown>;
    for (const column of this.#spec.required) {
      if (!(column in values)) {
        throw new BadDataError(
          { file, line, column, problem: `missing column ${JSON.stringify(column)}` },
          'give every line the column (null when the value is missing), or correct the column names in the project definition',
        );
      }
    }
    const row = this.#rows;
    for (const column of Object.keys(values)) {
      if (this.#builders.has(column)) continue;
      const builder = new ColumnBuilder(column, declaredType(this.#spec, column));
      for (let r = 0; r < row; r += 1) builder.pushMissing();
      this.#builders.set(column, builder);
    }
    for (const [column, builder] of this.#builders) {
      if (!(column in values)) {
        builder.pushMissing();
        continue;
      }
      const cell = values[column];
      const plain =
        cell === null ||
        typeof cell === 'string' ||
        typeof cell === 'boolean' ||
        (typeof cell === 'number' && Number.isFinite(cell));
      if (!plain) {
        // JSON.parse reads a number too large for a double (1e400) as Infinity, which no model can use.
        const problem =
          typeof cell === 'number'
            ? `a number in column ${JSON.stringify(column)} is too large for a double`
            : `column ${JSON.stringify(column)} holds ${JSON.stringify(cell)}; cells are numbers, strings, booleans or null`;
        throw new BadDataError({ file, line, column, problem }, HINT);
      }
      try {
        builder.pushValue(cell as string | number | boolean | null);
      } catch (error) {
        if (!(error instanceof CellProblem)) throw error;
        throw new BadDataError(
          { file, line, column, problem: `${error.message} in column ${JSON.stringify(column)}` },
          HINT,
        );
      }
    }
    if (row === this.#lines.length) {
      const lines = new Uint32Array(this.#lines.length * 2);
      lines.set(this.#lines);
      this.#lines = lines;
    }
    this.#lines[row] = line;
    this.#rows += 1;
  }
}

/** Reads JSON Lines text (see JsonLinesReader). */
export function parseJsonLines(text: string, file: string, spec: TableSpec): TypedTable {
  const reader = new JsonLinesReader(file, spec);
  reader.feed(text);
  return reader.finish();
}
