import { BadDataError } from '../../registry/errors/index.js';
import type { Cell, ColumnType } from './column.js';
import { describeRows, type ColumnInfo, type FeatureRows } from './feature-rows.js';
import { instantOf } from './ordinal.js';
import { declaredType, type TableSpec } from './table.js';

/**
 * Feature rows straight from records in memory (a request's few rows), typed exactly as
 * typedTable types them (see ColumnBuilder.pushValue), without building typed columns: a
 * column of numbers is numbers, of booleans booleans, of ISO-8601 strings timestamps, anything
 * else (or a mix) text; a declared type is enforced, a misfit named by its row.
 */
export function recordRows(
  records: readonly Readonly<Record<string, Cell>>[],
  columns: readonly string[],
  spec: TableSpec,
  source: string,
): FeatureRows {
  const infos: ColumnInfo[] = [];
  const rows: Cell[][] = records.map(() => new Array<Cell>(columns.length));
  columns.forEach((name, c) => {
    const declared = declaredType(spec, name);
    let type: ColumnType | null = declared ?? null;
    if (type === null) {
      for (const record of records) {
        const value = record[name] ?? null;
        if (value === null) continue;
        const kind: ColumnType =
          typeof value === 'number'
            ? 'number'
            : typeof value === 'boolean'
              ? 'boolean'
              : instantOf(value) !== null
                ? 'timestamp'
                : 'text';
        if (type === null) type = kind;
        else if (type !== kind) {
          type = 'text';
          break;
        }
      }
    }
    const final: ColumnType = type ?? 'text';
    records.forEach((record, r) => {
      const value = record[name] ?? null;
      if (value === null) {
        rows[r]![c] = null;
        return;
      }
      const fits =
        final === 'text' ||
        (final === 'number' && typeof value === 'number') ||
        (final === 'boolean' && typeof value === 'boolean') ||
        (final === 'timestamp' && typeof value === 'string' && instantOf(value) !== null);
      if (!fits)
        throw new BadDataError(
          {
            file: source,
            row: r + 1,
            column: name,
            problem: `${JSON.stringify(value)} is not ${final === 'number' ? 'a number' : final === 'boolean' ? 'true or false' : 'an ISO-8601 date or time'} in column ${JSON.stringify(name)}`,
          },
          'give the column cells of its declared type, or null where the value is missing',
        );
      rows[r]![c] = final === 'text' && typeof value !== 'string' ? String(value) : value;
    });
    infos.push({ name, type: final });
  });
  return describeRows(rows, infos, { source, lineOf: () => undefined });
}
