import { BadDataError } from '../../registry/errors/index.js';
import type { Label } from '../actor.js';
import type { FeatureMatrix } from '../pipeline.js';
import type { ProjectDefinition } from '../project.js';
import { ordinalColumn, type OrdinalPoint } from './ordinal.js';
import { columnIndex, parseNumber, type Table, type TableSpec } from './table.js';

export type Purpose = 'train' | 'tune' | 'apply';

type Columns = Pick<ProjectDefinition<unknown>, 'label' | 'features' | 'ordinal'>;

/**
 * What a data file must hold for a run: the features always, the label to train or tune, and
 * the ordinal (when the project has one) to train or tune. Pass it to readTable so that every
 * problem is reported with its line.
 */
export function tableSpec(definition: Columns, purpose: Purpose): TableSpec {
  const { label, features, ordinal } = definition;
  const learning = purpose !== 'apply';
  return {
    required: [
      ...(learning ? [label] : []),
      ...(features ?? []),
      ...(learning && ordinal !== undefined ? [ordinal] : []),
    ],
    numeric: features !== undefined ? (c) => features.includes(c) : (c) => c !== label && c !== ordinal,
  };
}

/** The declared feature columns, or every column except the label and the ordinal. */
export function featureColumns(definition: Columns, table: Table): string[] {
  const columns =
    definition.features ?? table.columns.filter((c) => c !== definition.label && c !== definition.ordinal);
  if (columns.length === 0)
    throw new BadDataError(
      { file: table.source, problem: 'there are no feature columns' },
      'the data needs at least one column besides the label and the ordinal',
    );
  return [...columns];
}

/** Checks the table holds the columns a run needs; readTable reports the same with its line. */
export function requireColumns(table: Table, spec: TableSpec): void {
  for (const column of spec.required) {
    if (!table.columns.includes(column)) {
      throw new BadDataError(
        {
          file: table.source,
          column,
          problem: `missing column ${JSON.stringify(column)}; the data has ${table.columns.join(', ')}`,
        },
        'add the column, or correct the column names in the project definition',
      );
    }
  }
}

export function featureMatrix(table: Table, columns: readonly string[]): FeatureMatrix {
  const indices = columns.map((c) => columnIndex(table, c));
  return table.rows.map((row, r) =>
    indices.map((index, i) => {
      const cell = row[index] ?? null;
      if (cell === null || typeof cell === 'number') return cell;
      // A table read without the project's spec types a column as text when any cell is text;
      // its numeric cells are still numbers, and the error belongs to the one that is not.
      const number = parseNumber(cell);
      if (number !== null) return number;
      throw new BadDataError(
        {
          file: table.source,
          line: table.lines?.[r],
          column: columns[i]!,
          problem: `${JSON.stringify(cell)} in feature column ${JSON.stringify(columns[i])} is not a number`,
        },
        'feature columns hold numbers; leave a cell empty when the value is missing',
      );
    }),
  );
}

export function labelColumn(table: Table, label: string): Label[] {
  const index = columnIndex(table, label);
  return table.rows.map((row, r) => {
    const cell = row[index] ?? null;
    if (cell !== null) return cell;
    throw new BadDataError(
      {
        file: table.source,
        line: table.lines?.[r],
        column: label,
        problem: `the label ${JSON.stringify(label)} is missing`,
      },
      'every row used for training needs a label; drop unlabelled rows from training data',
    );
  });
}

export function ordinals(table: Table, ordinal: string): OrdinalPoint[] {
  const index = columnIndex(table, ordinal);
  return ordinalColumn(
    table.rows.map((row) => row[index] ?? null),
    table.source,
    ordinal,
    table.lines,
  );
}
