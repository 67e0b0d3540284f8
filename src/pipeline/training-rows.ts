import { BadDataError, UsageError } from '../registry/errors/index.js';
import type { GenerationManifest, TrainingInfo } from '../registry/manifest.js';
import { ordinals } from './data/columns.js';
import { ordinalBounds, ordinalPoint } from './data/ordinal.js';
import { pickRows, type Table } from './data/table.js';
import type { ProjectDefinition } from './project.js';

/** data.reason of the BAD_DATA error a train since the last generation throws when no row is newer. */
export const NOTHING_NEW = 'nothing-new';

export interface TrainingRows {
  table: Table;
  training: TrainingInfo;
}

/**
 * The rows a run trains on, and the TrainingInfo that records them: how many, and the lowest
 * and highest ordinal as the data spelt them. With `sinceLast`, only the rows whose ordinal is
 * after the latest generation's upper ordinal (all rows when there is no generation yet).
 */
export function trainingRows(
  definition: ProjectDefinition<unknown>,
  data: Table,
  sinceLast: { latest: GenerationManifest | null } | null,
): TrainingRows {
  requireRows(data);
  const column = definition.ordinal;
  if (column === undefined) {
    if (sinceLast !== null)
      throw new UsageError(
        'training since the last generation needs an ordinal column, and the project declares none',
        'declare `ordinal` in the project definition, or train on all rows',
        { argument: 'since-last' },
      );
    return { table: data, training: { lower: null, upper: null, rows: data.rows.length } };
  }
  const points = ordinals(data, column);
  let indices = points.map((_, i) => i);
  const latest = sinceLast?.latest ?? null;
  if (latest !== null) {
    const upper = latest.training?.upper ?? null;
    if (upper === null) {
      throw new UsageError(
        `generation ${latest.generation} records no upper ordinal, so there is no "last" to train since`,
        'train on all rows',
        { argument: 'since-last' },
      );
    }
    const mark = ordinalPoint(upper, { file: `generation ${latest.generation}`, column });
    if (points[0] !== undefined && points[0].kind !== mark.kind) {
      throw new BadDataError(
        {
          file: data.source,
          column,
          problem: `the ordinal column holds ${points[0].kind}s but generation ${latest.generation} was trained up to the ${mark.kind} ${JSON.stringify(upper)}`,
        },
        'keep the ordinal column of one kind across generations',
      );
    }
    indices = indices.filter((i) => points[i]!.at > mark.at);
    if (indices.length === 0) {
      throw new BadDataError(
        {
          file: data.source,
          column,
          problem: `no rows after ${JSON.stringify(upper)}, the upper ordinal of generation ${latest.generation}; there is nothing new to train on`,
          // Not damage but "nothing to do": a scheduled run tells it from a failure by this.
          reason: NOTHING_NEW,
          latest: latest.generation,
          upper,
        },
        'append rows with a later ordinal, or train on all rows',
      );
    }
  }
  const bounds = ordinalBounds(indices.map((i) => points[i]!));
  return {
    table: indices.length === data.rows.length ? data : pickRows(data, indices),
    training: { ...bounds, rows: indices.length },
  };
}

/** Training and tuning need rows; a file with only a header has none. */
export function requireRows(data: Table): void {
  if (data.rows.length === 0)
    throw new BadDataError(
      { file: data.source, problem: 'there are no data rows to train on' },
      'give a file with a header and at least one row',
    );
}
