import { BadDataError } from '../../registry/errors/index.js';
import { CellProblem, ColumnBuilder, RetypeAsText } from './column.js';
import { declaredType, TypedTable, type TableSpec } from './table.js';

interface CsvRecord {
  fields: string[];
  /** The line the record starts on; a quoted field may carry it over several lines. */
  line: number;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;
const HINT_QUOTES =
  'quote fields that hold commas, quotes or line breaks, and double the quotes inside them (RFC 4180)';

/**
 * Splits RFC 4180 text into records, piece by piece: comma-separated, fields optionally in
 * double quotes, a doubled quote inside quotes is a quote, quoted fields may hold commas and
 * line breaks. Line breaks may be CRLF, LF or CR. Empty lines are skipped. Each piece given to
 * feed() must end right after a line break (or be the last), so that neither a CRLF nor a
 * doubled quote is ever cut in two.
 */
export class CsvSplitter {
  readonly #file: string;
  readonly #onRecord: (record: CsvRecord) => void;
  #fields: string[] = [];
  #field = '';
  #line = 1;
  #start = 1;
  #quoted = false; // inside a quoted field
  #wasQuoted = false; // the current field was quoted and has closed

  constructor(file: string, onRecord: (record: CsvRecord) => void) {
    this.#file = file;
    this.#onRecord = onRecord;
  }

  feed(text: string): void {
    const n = text.length;
    let segment = 0; // where the unread part of the current field starts in this piece
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (this.#quoted) {
        if (c === QUOTE) {
          this.#field += text.slice(segment, i);
          if (text.charCodeAt(i + 1) === QUOTE) {
            this.#field += '"';
            i += 2;
          } else {
            this.#quoted = false;
            this.#wasQuoted = true;
            i += 1;
          }
          segment = i;
          continue;
        }
        if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) this.#line += 1;
        i += 1;
        continue;
      }
      if (c === COMMA) {
        this.#fields.push(this.#field + text.slice(segment, i));
        this.#field = '';
        this.#wasQuoted = false;
        i += 1;
        segment = i;
      } else if (c === LF || c === CR) {
        this.#field += text.slice(segment, i);
        i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
        segment = i;
        this.#endRecord();
        this.#line += 1;
        this.#start = this.#line;
      } else if (this.#wasQuoted) {
        this.#fail('text after the closing quote of a field', this.#line);
      } else if (c === QUOTE) {
        if (this.#field !== '' || i > segment) this.#fail('a quote inside an unquoted field', this.#line);
        this.#quoted = true;
        i += 1;
        segment = i;
      } else {
        i += 1;
      }
    }
    this.#field += text.slice(segment, n);
  }

  end(): void {
    if (this.#quoted) this.#fail('a quoted field is never closed', this.#start);
    if (this.#field !== '' || this.#fields.length > 0 || this.#wasQuoted) this.#endRecord();
  }

  #endRecord(): void {
    const fields = this.#fields;
    fields.push(this.#field);
    if (!(fields.length === 1 && fields[0] === '' && !this.#wasQuoted)) this.#onRecord({ fields, line: this.#start });
    this.#fields = [];
    this.#field = '';
    this.#wasQuoted = false;
  }

  #fail(problem: string, at: number): never {
    throw new BadDataError({ file: this.#file, line: at, problem }, HINT_QUOTES);
  }
}

/** Splits RFC 4180 text into records (see CsvSplitter). */
export function csvRecords(text: string, file: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const splitter = new CsvSplitter(file, (r) => records.push(r));
  splitter.feed(text);
  splitter.end();
  return records;
}

/**
 * Reads CSV with a header row into typed columns as its pieces arrive, checking it against the
 * spec: rows are never held as text, only as their columns' typed values.
 */
export class CsvReader {
  readonly #file: string;
  readonly #spec: TableSpec;
  readonly #asText: ReadonlySet<string>;
  readonly #splitter: CsvSplitter;
  #columns: string[] | null = null;
  #builders: ColumnBuilder[] = [];
  #lines = new Uint32Array(1024);
  #rows = 0;
  #bom = true;

  /** `asText`: columns to read as text whatever they hold (a second reading, after RetypeAsText). */
  constructor(file: string, spec: TableSpec, asText: ReadonlySet<string> = new Set()) {
    this.#file = file;
    this.#spec = spec;
    this.#asText = asText;
    this.#splitter = new CsvSplitter(file, (record) => this.#record(record));
  }

  feed(text: string): void {
    if (this.#bom) {
      this.#bom = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.#splitter.feed(text);
  }

  finish(): TypedTable {
    this.#splitter.end();
    const file = this.#file;
    if (this.#columns === null)
      throw new BadDataError(
        { file, problem: 'the file is empty' },
        'a CSV file needs a header row naming its columns, then one row per record',
      );
    return new TypedTable(
      file,
      this.#builders.map((b) => b.finish()),
      this.#lines.slice(0, this.#rows),
      this.#rows,
    );
  }

  #record(record: CsvRecord): void {
    if (this.#columns === null) return this.#header(record);
    const { fields, line } = record;
    const builders = this.#builders;
    if (fields.length !== builders.length) {
      throw new BadDataError(
        {
          file: this.#file,
          line,
          problem: `${fields.length} fields where the header has ${builders.length}`,
        },
        'every row needs exactly one field per column; quote fields that contain commas',
      );
    }
    for (let c = 0; c < builders.length; c += 1) {
      const builder = builders[c]!;
      try {
        builder.pushText(fields[c]!);
      } catch (error) {
        if (!(error instanceof CellProblem)) throw error;
        throw new BadDataError(
          {
            file: this.#file,
            line,
            column: builder.name,
            problem: `${error.message} in column ${JSON.stringify(builder.name)}`,
          },
          builder.declared === 'number'
            ? 'write numbers as 12, -0.5 or 1e-3, and leave a cell empty when the value is missing'
            : `write the column's cells as ${builder.declared ?? 'its type'} values, and leave a cell empty when the value is missing`,
        );
      }
    }
    if (this.#rows === this.#lines.length) {
      const lines = new Uint32Array(this.#lines.length * 2);
      lines.set(this.#lines);
      this.#lines = lines;
    }
    this.#lines[this.#rows] = line;
    this.#rows += 1;
  }

  #header(header: CsvRecord): void {
    const file = this.#file;
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
    for (const name of this.#spec.required) {
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
    this.#columns = columns;
    this.#builders = columns.map(
      (name) => new ColumnBuilder(name, this.#asText.has(name) ? 'text' : declaredType(this.#spec, name)),
    );
  }
}

/** Reads CSV text with a header row into a table checked against the spec (see CsvReader). */
export function parseCsv(text: string, file: string, spec: TableSpec): TypedTable {
  const asText = new Set<string>();
  for (;;) {
    try {
      const reader = new CsvReader(file, spec, asText);
      reader.feed(text);
      return reader.finish();
    } catch (error) {
      if (!(error instanceof RetypeAsText) || asText.has(error.column)) throw error;
      asText.add(error.column);
    }
  }
}
