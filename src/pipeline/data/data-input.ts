import { BadDataError } from '../../registry/errors/index.js';
import { isRecord } from '../../registry/stored-json.js';
import type { ProjectDefinition } from '../project.js';
import { tableSpec, type Purpose } from './columns.js';
import { readTable } from './read-table.js';
import { typedTable, type Cell, type Table } from './table.js';

/** A run's data from code: rows in memory (one record per row), a Table, or the path of a .csv or .jsonl file. */
export type DataInput = readonly Readonly<Record<string, Cell>>[] | Table | string;

/** Where rows given in memory come from, in messages. */
export const MEMORY_SOURCE = 'rows in memory';

/** The table a run works on; a file is read with the project's spec, so that problems name their line. */
export async function tableOf(
  data: DataInput,
  definition: Pick<ProjectDefinition<unknown>, 'label' | 'features' | 'ordinal'>,
  purpose: Purpose,
): Promise<Table> {
  const spec = tableSpec(definition, purpose);
  if (typeof data === 'string') return readTable(data, spec);
  // Rows from code are typed as a file's would be, declared types included.
  if (Array.isArray(data)) return typedTable(recordsTable(checkRecords(data)), spec);
  if (isRecord(data) && Array.isArray(data.columns) && Array.isArray(data.rows)) return typedTable(data as Table, spec);
  throw new BadDataError(
    { file: MEMORY_SOURCE, problem: 'data is neither rows, a table nor a file path' },
    'pass an array of row objects ({ column: value }), a Table, or the path of a .csv or .jsonl file',
  );
}

// Rows from code are checked as a file's rows would be: cells are numbers, strings or empty.
function checkRecords(records: readonly unknown[]): readonly Readonly<Record<string, Cell>>[] {
  records.forEach((record, index) => {
    const row = index + 1;
    if (!isRecord(record)) {
      throw new BadDataError(
        { file: MEMORY_SOURCE, row, problem: `row ${row} is not an object of column values` },
        'pass each row as an object such as { sepal_length: 5.1, species: "setosa" }',
      );
    }
    for (const [column, value] of Object.entries(record)) {
      const ok =
        value === null ||
        value === undefined ||
        typeof value === 'string' ||
        typeof value === 'boolean' ||
        (typeof value === 'number' && Number.isFinite(value));
      if (!ok) {
        throw new BadDataError(
          {
            file: MEMORY_SOURCE,
            row,
            column,
            problem: `row ${row}: ${describe(value)} in column ${JSON.stringify(column)}`,
          },
          'cells are finite numbers, strings, booleans, or null where the value is missing',
        );
      }
    }
  });
  return records as readonly Readonly<Record<string, Cell>>[];
}

/** Records as a plain table, keys in first-seen order, for typedTable to type under the project's spec. */
function recordsTable(records: readonly Readonly<Record<string, Cell>>[]): Table {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const record of records)
    for (const key of Object.keys(record))
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
  return { source: MEMORY_SOURCE, columns, rows: records.map((r) => columns.map((c) => r[c] ?? null)) };
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return `a ${typeof value}`;
}
