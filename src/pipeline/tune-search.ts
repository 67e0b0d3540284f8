import { isStatekeepError, UsageError } from '../registry/errors/index.js';
import type { FailedTrial } from '../registry/manifest.js';
import type { Params } from './actor.js';
import { buildPipeline } from './build-pipeline.js';
import { pickFeatureRows } from './data/feature-rows.js';
import { better, plainZero, predict, scoreOf, trainPipeline } from './fit.js';
import type { RunProgress } from './progress.js';
import type { ProjectDefinition } from './project.js';
import type { Split } from './search/holdout.js';

export interface Best {
  params: Params;
  score: number;
  /** Candidates that failed (an actor threw, bad parameters), in trial order; the search went on. */
  failed: FailedTrial[];
}

/**
 * Scores every candidate on the holdout: each gets fresh actors trained on the other rows
 * only. A candidate whose score is not a finite number (a diverged model) cannot win; one that
 * fails with a statekeep error (its actor threw: USER_CODE) is recorded as a failed trial and
 * the search goes on. Only when every candidate failed does the search fail, with the first
 * candidate's error.
 */
export async function searchBest(
  definition: ProjectDefinition<unknown>,
  candidates: readonly Params[],
  data: { features: readonly unknown[]; labels: readonly unknown[] },
  split: Split,
  progress: RunProgress,
): Promise<Best> {
  const pick = <T>(items: readonly T[], indices: readonly number[]): T[] => indices.map((i) => items[i]!);
  const trainX = pickFeatureRows(data.features, split.train);
  const trainY = pick(data.labels, split.train);
  const holdX = pickFeatureRows(data.features, split.holdout);
  const holdY = pick(data.labels, split.holdout);
  const { metric } = definition;
  let best: Omit<Best, 'failed'> | null = null;
  const failed: FailedTrial[] = [];
  let firstError: unknown;
  for (const [i, params] of candidates.entries()) {
    const shown = Object.entries(params)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ');
    let raw: unknown;
    try {
      const built = buildPipeline(definition, params);
      await trainPipeline(built, trainX, trainY);
      raw = scoreOf(metric, await predict(built, holdX), holdY);
    } catch (error) {
      // Anything but a statekeep error is a defect of statekeep itself: it stops the search.
      if (!isStatekeepError(error)) throw error;
      firstError ??= error;
      failed.push({ params, code: error.code, message: error.message });
      progress.emit(
        'trial',
        i + 1,
        candidates.length,
        `trial ${i + 1}/${candidates.length} failed: ${error.message} (${shown})`,
        {
          params,
        },
      );
      continue;
    }
    const value = typeof raw === 'number' ? plainZero(raw) : raw;
    const finite = typeof value === 'number' && Number.isFinite(value);
    if (finite && (best === null || better(metric, value, best.score))) best = { params, score: value };
    progress.emit(
      'trial',
      i + 1,
      candidates.length,
      `trial ${i + 1}/${candidates.length}: ${metric.name} ${finite ? value.toPrecision(4) : String(value)} (${shown})`,
      finite ? { params, score: value } : { params },
    );
  }
  if (failed.length === candidates.length) throw firstError;
  if (best === null) {
    const note = failed.length > 0 ? ` (${failed.length} of them failed)` : '';
    throw new UsageError(
      `none of the ${candidates.length} candidates scored a finite ${metric.name}${note}`,
      'narrow the tuning space to values that train stably',
    );
  }
  return { ...best, failed };
}
