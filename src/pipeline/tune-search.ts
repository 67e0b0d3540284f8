import { UsageError } from '../registry/errors/index.js';
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
}

/**
 * Scores every candidate on the holdout: each gets fresh actors trained on the other rows
 * only. A candidate whose score is not a finite number (a diverged model) cannot win.
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
  let best: Best | null = null;
  for (const [i, params] of candidates.entries()) {
    const built = buildPipeline(definition, params);
    await trainPipeline(built, trainX, trainY);
    const raw = scoreOf(metric, await predict(built, holdX), holdY);
    const value = typeof raw === 'number' ? plainZero(raw) : raw;
    const finite = typeof value === 'number' && Number.isFinite(value);
    if (finite && (best === null || better(metric, value, best.score))) best = { params, score: value };
    const shown = Object.entries(params)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ');
    progress.emit(
      'trial',
      i + 1,
      candidates.length,
      `trial ${i + 1}/${candidates.length}: ${metric.name} ${finite ? value.toPrecision(4) : String(value)} (${shown})`,
      finite ? { params, score: value } : { params },
    );
  }
  if (best === null) {
    throw new UsageError(
      `none of the ${candidates.length} candidates scored a finite ${metric.name}`,
      'narrow the tuning space to values that train stably',
    );
  }
  return best;
}
