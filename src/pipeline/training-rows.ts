import { BadDataError, UsageError } from '../registry/errors/index.js';
import type { GenerationManifest, Ordinal, TrainingInfo } from '../registry/manifest.js';
import { ordinals } from './data/columns.js';
import { ordinalBounds, ordinalPoint } from './data/ordinal.js';
import { pickRows, rowCount, type Table } from './data/table.js';
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
    return { table: data, training: { lower: null, upper: null, rows: rowCount(data) } };
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
    table: indices.length === rowCount(data) ? data : pickRows(data, indices),
    training: { ...bounds, rows: indices.length },
  };
}

/** Training and tuning need rows; a file with only a header has none. */
export function requireRows(data: Table): void {
  if (rowCount(data) === 0)
    throw new BadDataError(
      { file: data.source, problem: 'there are no data rows to train on' },
      'give a file with a header and at least one row',
    );
}

/**
 * The rows an actor that cannot continue training (incremental: false) retrains on when a run
 * warm-starts: every row of the data from `lineageLower`, the lowest ordinal its lineage has
 * trained on, on (all rows when the lineage's range is unknown, or without `sinceLast`). With
 * `sinceLast` the data must reach back to that ordinal, or the actor would silently forget rows.
 */
export function lineageRows(
  definition: ProjectDefinition<unknown>,
  data: Table,
  lineage: { lower: Ordinal; generation: number; actor: string },
  sinceLast: boolean,
): TrainingRows {
  const column = definition.ordinal;
  if (column === undefined) return { table: data, training: { lower: null, upper: null, rows: rowCount(data) } };
  const points = ordinals(data, column);
  if (!sinceLast) return { table: data, training: { ...ordinalBounds(points), rows: rowCount(data) } };
  if (lineage.lower === null) {
    throw new UsageError(
      `actor ${JSON.stringify(lineage.actor)} cannot continue training (incremental: false) and must retrain on every row its lineage has seen, but generation ${lineage.generation}'s lineage records no lower ordinal`,
      'train on all rows (without since-last), or start over with fresh',
      { argument: 'since-last' },
    );
  }
  const mark = ordinalPoint(lineage.lower, { file: `generation ${lineage.generation}`, column });
  const first = ordinalBounds(points).lower;
  if (first === null || ordinalPoint(first, { file: data.source, column }).at > mark.at) {
    throw new BadDataError(
      {
        file: data.source,
        column,
        problem: `actor ${JSON.stringify(lineage.actor)} cannot continue training (incremental: false), so it retrains on every row its lineage has seen, from ${JSON.stringify(lineage.lower)}; the data starts at ${JSON.stringify(first)}`,
      },
      `give a data file that holds the rows from ${JSON.stringify(lineage.lower)} on (the earlier generations' rows and the new ones), or train with fresh`,
    );
  }
  const indices = points.flatMap((p, i) => (p.at >= mark.at ? [i] : []));
  return {
    table: indices.length === rowCount(data) ? data : pickRows(data, indices),
    training: { ...ordinalBounds(indices.map((i) => points[i]!)), rows: indices.length },
  };
}
