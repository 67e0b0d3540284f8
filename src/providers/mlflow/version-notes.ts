import type { GenerationManifest } from '../../registry/manifest.js';
import type { MlflowParam } from './client.js';
import { isLoggableKey, LIMITS } from './limits.js';
import { GENERATIONS_DIR, LATEST_ALIAS, TAG } from './naming.js';

/**
 * What people read about a generation in the MLflow UI, made from its manifest: a one-line
 * description for the version, and the tuned parameters as run params. Machines read the tags
 * and the manifest instead; nothing here is ever read back.
 */

/**
 * "train from generation 6 · 150 rows, ordinals 1 to 150 · accuracy 0.9533, accuracy_before 0.94".
 * A rollback says whose states it holds; a tune, how many trials it searched.
 */
export function versionDescription(m: GenerationManifest): string {
  const parts: string[] = [];
  if (m.rollbackOf !== null) parts.push(`rollback: the states of generation ${m.rollbackOf}`);
  else parts.push(`${m.mode} ${m.parent === null ? 'fresh' : `from generation ${m.parent}`}`);
  if (m.training !== null) {
    const { lower, upper, rows } = m.training;
    parts.push(
      lower === null && upper === null
        ? `${rows} rows`
        : `${rows} rows, ordinals ${String(lower ?? '-')} to ${String(upper ?? '-')}`,
    );
  }
  if (m.mode === 'tune' && m.tuning !== null)
    parts.push(`best of ${m.tuning.trials} trials, score ${shortNumber(m.tuning.score)}`);
  const metrics = Object.entries(m.metrics)
    .filter(([key]) => key !== 'seconds')
    .map(([key, value]) => `${key} ${shortNumber(value)}`);
  if (metrics.length > 0) parts.push(metrics.join(', '));
  const text = parts.join(' · ');
  return text.length <= LIMITS.versionDescription ? text : `${text.slice(0, LIMITS.versionDescription - 1)}…`;
}

/**
 * The tuned parameters a generation's actors were built with (chosen by a tune, or inherited
 * from the parent by a train) as params of the release run, one key per generation
 * ("g7.model.depth"), since a run's param is written once. Keys MLflow refuses and values too
 * long for it stay in the manifest only.
 */
export function tunedParams(m: GenerationManifest): MlflowParam[] {
  if (m.tuning === null) return [];
  return Object.entries(m.tuning.params)
    .map(([name, value]) => ({ key: paramKey(m.generation, name), value: paramValue(value) }))
    .filter((p) => isLoggableKey(p.key) && p.value.length <= LIMITS.paramValue);
}

/** The release-run param key of a generation's tuned parameter. */
export function paramKey(generation: number, name: string): string {
  return `g${generation}.${name}`;
}

function paramValue(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

function shortNumber(value: number): string {
  return String(Number.isInteger(value) ? value : Number(value.toPrecision(4)));
}

/** The registered model's description: what the joined name means, and how to read its versions. */
export function releaseDescription(project: string, version: string): string {
  return (
    `statekeep project ${project}, release ${version}. Each version of this model is a generation: its ` +
    `description says how it was made (mode, parent or rollback source, rows, metrics); its source run ` +
    `"release ${version}" charts the metrics by generation (step = generation number), lists tuned ` +
    `parameters as g<generation>.<name>, and keeps each manifest in ${GENERATIONS_DIR}/<generation>/. ` +
    `Only versions tagged ${TAG.state}=committed are complete; alias @${LATEST_ALIAS} follows the newest.`
  );
}
