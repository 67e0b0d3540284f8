import { UsageError } from '../registry/errors/index.js';
import type { GenerationManifest } from '../registry/manifest.js';
import type { Params } from './actor.js';
import { buildPipeline } from './build-pipeline.js';
import { featureColumns, featureMatrix, labelColumn } from './data/columns.js';
import { pickRows, rowCount, type Table } from './data/table.js';
import { predict, score, trainPipeline } from './fit.js';
import type { RunProgress } from './progress.js';
import type { ProjectDefinition } from './project.js';
import { shuffled, seededRandom } from './search/random.js';

/** How a generation, or the pipeline under cross-validation, scored on labelled data. */
export interface MetricInfo {
  name: string;
  direction: 'max' | 'min';
}

/** The score of one generation on labelled rows: nothing trained, nothing committed. */
export interface Evaluation {
  manifest: GenerationManifest;
  metric: MetricInfo;
  score: number;
  rows: number;
}

/** K-fold cross-validation of a project's pipeline: fresh actors per fold, nothing committed. */
export interface CrossValidation {
  metric: MetricInfo;
  /** Each fold's score on its held-out rows, in fold order. */
  folds: number[];
  mean: number;
  /** Sample standard deviation of the fold scores. */
  std: number;
  min: number;
  max: number;
  rows: number;
  seed: number;
  /** The hyper-parameters every fold trained with, and the generation they came from (null: the defaults). */
  params: Params;
  paramsFrom: { release: string; generation: number } | null;
}

export function metricInfo(definition: ProjectDefinition<unknown>): MetricInfo {
  return { name: definition.metric.name, direction: definition.metric.direction };
}

/** Checks a fold count: a whole number from 2 to the number of rows. */
export function foldsOf(folds: number, rows: number): number {
  if (!Number.isSafeInteger(folds) || folds < 2 || folds > rows)
    throw new UsageError(
      `folds ${String(folds)} is not a whole number from 2 to the ${rows} rows of the data`,
      'give a fold count such as 5, at most the number of rows',
      { argument: 'folds' },
    );
  return folds;
}

/**
 * Splits the rows into `k` folds after a seeded shuffle (fold f holds every k-th shuffled row),
 * trains fresh actors on the other folds and scores them on fold f.
 */
export async function crossValidate(
  definition: ProjectDefinition<unknown>,
  table: Table,
  options: { folds: number; seed: number; params: Params; paramsFrom: CrossValidation['paramsFrom'] },
  progress: RunProgress,
): Promise<CrossValidation> {
  const k = foldsOf(options.folds, rowCount(table));
  const order = shuffled(
    Array.from({ length: rowCount(table) }, (_, i) => i),
    seededRandom((options.seed ^ 0x5bd1e995) >>> 0),
  );
  const ascending = (a: number, b: number): number => a - b;
  const scores: number[] = [];
  for (let f = 0; f < k; f++) {
    const held = order.filter((_, i) => i % k === f).sort(ascending);
    const trained = order.filter((_, i) => i % k !== f).sort(ascending);
    const built = buildPipeline(definition, options.params);
    const part = pickRows(table, trained);
    await trainPipeline(
      built,
      featureMatrix(part, featureColumns(definition, part)),
      labelColumn(part, definition.label),
    );
    const test = pickRows(table, held);
    const value = score(
      definition.metric,
      await predict(built, featureMatrix(test, featureColumns(definition, test))),
      labelColumn(test, definition.label),
    );
    scores.push(value);
    progress.emit('fold', f + 1, k, `fold ${f + 1}/${k}: ${definition.metric.name} ${value.toPrecision(4)}`, {
      score: value,
    });
  }
  const mean = scores.reduce((s, v) => s + v, 0) / k;
  const std = Math.sqrt(scores.reduce((s, v) => s + (v - mean) ** 2, 0) / (k - 1));
  return {
    metric: metricInfo(definition),
    folds: scores,
    mean,
    std,
    min: Math.min(...scores),
    max: Math.max(...scores),
    rows: rowCount(table),
    seed: options.seed,
    params: options.params,
    paramsFrom: options.paramsFrom,
  };
}
