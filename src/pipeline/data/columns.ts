import { BadDataError } from '../../registry/errors/index.js';
import type { Label } from '../actor.js';
import type { ProjectDefinition } from '../project.js';
import { ordinalColumn, type OrdinalPoint } from './ordinal.js';
import { describeRows, type FeatureRows } from './feature-rows.js';
import { typedTable, type Cell, type Table, type TableSpec } from './table.js';

export type Purpose = 'train' | 'tune' | 'apply';

type Columns = Pick<ProjectDefinition<unknown>, 'label' | 'features' | 'ordinal' | 'types'>;

/**
 * What a data file must hold for a run: the features always, the label to train or tune, and
 * the ordinal (when the project has one) to train or tune; and the column types the project
 * declares. Pass it to readTable so that every problem is reported with its line.
 */
export function tableSpec(definition: Columns, purpose: Purpose): TableSpec {
  const { label, features, ordinal, types } = definition;
  const learning = purpose !== 'apply';
  return {
    required: [
      ...(learning ? [label] : []),
      ...(features ?? []),
      ...(learning && ordinal !== undefined ? [ordinal] : []),
    ],
    type: (c) => (types !== undefined && Object.hasOwn(types, c) ? types[c] : undefined),
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

/**
 * The rows the first step receives: one array of cells per row, in the order of `columns`,
 * described by each column's name and type (see FeatureRows).
 */
export function featureMatrix(table: Table, columns: readonly string[]): FeatureRows {
  const typed = typedTable(table);
  const picked = columns.map((name) => {
    const column = typed.column(name);
    if (column === undefined)
      throw new BadDataError(
        { file: table.source, column: name, problem: `missing column ${JSON.stringify(name)}` },
        'add the column, or correct the column names in the project definition',
      );
    return column;
  });
  const rows: Cell[][] = new Array(typed.length);
  for (let r = 0; r < typed.length; r += 1) rows[r] = picked.map((c) => c.cell(r));
  return describeRows(
    rows,
    picked.map((c) => ({ name: c.name, type: c.type })),
    { source: typed.source, lineOf: (row) => typed.lineOf(row) },
  );
}

export function labelColumn(table: Table, label: string): Label[] {
  const typed = typedTable(table);
  const column = typed.column(label);
  const labels: Label[] = new Array(typed.length);
  for (let r = 0; r < typed.length; r += 1) {
    const cell = column?.cell(r) ?? null;
    if (cell === null) {
      const line = typed.lineOf(r);
      throw new BadDataError(
        {
          file: table.source,
          ...(line === undefined ? { row: r + 1 } : { line }),
          column: label,
          problem: `the label ${JSON.stringify(label)} is missing`,
        },
        'every row used for training needs a label; drop unlabelled rows from training data',
      );
    }
    labels[r] = cell;
  }
  return labels;
}

export function ordinals(table: Table, ordinal: string): OrdinalPoint[] {
  const typed = typedTable(table);
  const column = typed.column(ordinal);
  const cells: Cell[] = new Array(typed.length);
  for (let r = 0; r < typed.length; r += 1) cells[r] = column?.cell(r) ?? null;
  const lines = typed.lines;
  return ordinalColumn(cells, table.source, ordinal, lines);
}
