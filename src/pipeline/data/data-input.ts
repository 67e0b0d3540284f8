import { BadDataError } from '../../registry/errors/index.js';
import { isRecord } from '../../registry/stored-json.js';
import type { ProjectDefinition } from '../project.js';
import { tableSpec, type Purpose } from './columns.js';
import { readTable } from './read-table.js';
import { tableFromRecords, type Cell, type Table } from './table.js';

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
  if (typeof data === 'string') return readTable(data, tableSpec(definition, purpose));
  if (Array.isArray(data)) return tableFromRecords(checkRecords(data), MEMORY_SOURCE);
  if (isRecord(data) && Array.isArray(data.columns) && Array.isArray(data.rows)) return data as Table;
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
        (typeof value === 'number' && Number.isFinite(value));
      if (!ok) {
        throw new BadDataError(
          {
            file: MEMORY_SOURCE,
            row,
            column,
            problem: `row ${row}: ${describe(value)} in column ${JSON.stringify(column)}`,
          },
          'cells are finite numbers, strings, or null where the value is missing',
        );
      }
    }
  });
  return records as readonly Readonly<Record<string, Cell>>[];
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return `a ${typeof value}`;
}
