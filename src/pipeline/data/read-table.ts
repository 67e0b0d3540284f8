import { open } from 'node:fs/promises';
import path from 'node:path';
import { BadDataError, NotFoundError } from '../../registry/errors/index.js';
import { RetypeAsText } from './column.js';
import { CsvReader } from './csv.js';
import { JsonLinesReader } from './jsonl.js';
import { ANY_TABLE, type TableSpec, type TypedTable } from './table.js';

export type DataFormat = 'csv' | 'jsonl';

const FORMATS: Record<string, DataFormat> = { '.csv': 'csv', '.jsonl': 'jsonl', '.ndjson': 'jsonl' };

/** How much of a file is read at a time: the file is never held whole, as bytes or as text. */
const PIECE = 1 << 20;

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

interface PieceReader {
  feed(text: string): void;
  finish(): TypedTable;
}

function readerOf(format: DataFormat, file: string, spec: TableSpec, asText: ReadonlySet<string>): PieceReader {
  return format === 'csv' ? new CsvReader(file, spec, asText) : new JsonLinesReader(file, spec);
}

/**
 * Reads with a fresh reader per attempt: a column guessed as numbers that turns out to be text,
 * after cells whose spelling a number does not keep ("007"), is read again as text.
 */
async function withRetyping(read: (asText: ReadonlySet<string>) => Promise<TypedTable>): Promise<TypedTable> {
  const asText = new Set<string>();
  for (;;) {
    try {
      return await read(asText);
    } catch (error) {
      if (!(error instanceof RetypeAsText) || asText.has(error.column)) throw error;
      asText.add(error.column);
    }
  }
}

/** Parses data text; `file` names it in errors. */
export function parseTable(text: string, file: string, format: DataFormat, spec: TableSpec = ANY_TABLE): TypedTable {
  const asText = new Set<string>();
  for (;;) {
    try {
      const reader = readerOf(format, file, spec, asText);
      reader.feed(text);
      return reader.finish();
    } catch (error) {
      if (!(error instanceof RetypeAsText) || asText.has(error.column)) throw error;
      asText.add(error.column);
    }
  }
}

/** Reads a CSV or JSON Lines file (by its extension), a piece at a time, into a table checked against the spec. */
export async function readTable(file: string, spec: TableSpec = ANY_TABLE): Promise<TypedTable> {
  const format = formatOf(file);
  return withRetyping(async (asText) => {
    const reader = readerOf(format, file, spec, asText);
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      throw unreadable(file, error);
    }
    try {
      const decoder = new TextDecoder('utf-8', { fatal: true });
      const buffer = Buffer.allocUnsafe(PIECE);
      let pending = '';
      for (;;) {
        let bytesRead: number;
        try {
          ({ bytesRead } = await handle.read(buffer, 0, PIECE, null));
        } catch (error) {
          throw unreadable(file, error);
        }
        const last = bytesRead === 0;
        let text: string;
        try {
          text = pending + decoder.decode(buffer.subarray(0, bytesRead), { stream: !last });
        } catch {
          throw new BadDataError({ file, problem: 'the file is not UTF-8 text' }, 'save the data file as UTF-8');
        }
        if (last) {
          reader.feed(text);
          return reader.finish();
        }
        // Hand over whole lines only, so no CRLF (or, in CSV, doubled quote) is cut in two.
        const cut = cutPoint(text);
        reader.feed(text.slice(0, cut));
        pending = text.slice(cut);
      }
    } finally {
      await handle.close();
    }
  });
}

/** Just after the last line break that is surely whole: an LF, or a CR that is not the last character. */
function cutPoint(text: string): number {
  const lf = text.lastIndexOf('\n');
  const cr = text.lastIndexOf('\r', text.length - 2);
  return Math.max(lf, cr) + 1;
}

function unreadable(file: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT')
    return new NotFoundError({ what: 'file', name: file }, 'check the data file path', { cause: error });
  return new BadDataError(
    { file, problem: `the file cannot be read (${code ?? String(error)})` },
    'give a readable data file, not a directory',
  );
}
